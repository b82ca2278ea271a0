import QtQuick
import QtQuick.Controls
import "../components"

ScreenPage {
    id: root
    showSteps: false
    title: qsTr("进度查询")
    prompt: qsTr("将回执上的二维码对准扫码口，或输入受理编号")
    readonly property var r: kiosk.statusResult
    Column {
        anchors.fill: parent
        spacing: theme.gap
        Row {
            width: parent.width
            spacing: theme.gap
            KioskField {
                id: number
                objectName: "status.input"
                width: parent.width - go.width - theme.gap
                font.letterSpacing: 2
                placeholderText: qsTr("如 SZ20261127000001")
                inputMethodHints: Qt.ImhUppercaseOnly | Qt.ImhNoPredictiveText | Qt.ImhLatinOnly
                maximumLength: 80  // an offline receipt's 本机编号 (kiosk id + date + sequence) is longer than SZ + 14 digits
            }
            BigButton { id: go; objectName: "status.query"; implicitWidth: theme.buttonWide * 0.45; text: qsTr("查询")
                        onClicked: { Qt.inputMethod.hide(); kiosk.queryStatus(number.text) } }
        }
        Card {
            visible: root.r.reference !== undefined
            width: parent.width
            Column {
                width: parent.width
                spacing: theme.px(3.5)
                Label { width: parent.width; text: root.r.item || ""; size: theme.fontLarge; font.bold: true }
                Label { objectName: "status.reference"; text: qsTr("受理编号：%1").arg(root.r.reference || ""); muted: true }
                Label { objectName: "status.state"; text: root.r.statusText || ""; size: theme.fontLarge; color: theme.primary; font.bold: true }
                Repeater {
                    model: root.r.timeline || []
                    Row {
                        spacing: theme.gap
                        Rectangle { width: theme.px(4.5); height: theme.px(4.5); radius: width / 2; color: index === 0 ? theme.primary : theme.ok; anchors.verticalCenter: parent.verticalCenter }
                        Label { text: modelData.at; muted: true; size: theme.fontSmall }
                        Label { text: modelData.text }
                    }
                }
                Repeater {
                    model: root.r.reasons || []
                    Label { width: parent.width; text: "• " + modelData; color: theme.warn }
                }
            }
        }
    }
}
