import QtQuick
import "../components"

Item {
    id: pad
    objectName: "maint.pinpad"
    property string pin: ""
    readonly property bool locked: maint.state === "locked"
    onVisibleChanged: pin = ""

    Column {
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * theme.gap, 720)
        spacing: theme.gap
        Label { width: parent.width; horizontalAlignment: Text.AlignHCenter; text: qsTr("维护模式"); size: theme.fontTitle; font.bold: true }
        // Two factors: the badge or the technician's ID card first, then the PIN (never either alone).
        Row {
            anchors.horizontalCenter: parent.horizontalCenter
            spacing: theme.gap
            Label {
                objectName: "maint.factor.token"
                text: (maint.needToken ? "① " : "✓ ") + qsTr("工牌或身份证") + (maint.holder !== "" ? " (" + maint.holder + ")" : "")
                color: maint.needToken ? theme.primary : theme.ok; font.bold: maint.needToken
            }
            Label {
                objectName: "maint.factor.pin"
                text: "② " + qsTr("维护密码")
                color: maint.needToken ? theme.textMuted : theme.primary; font.bold: !maint.needToken
            }
        }
        Label {
            objectName: "maint.factor.prompt"
            width: parent.width; horizontalAlignment: Text.AlignHCenter; muted: true; wrapMode: Text.WordWrap
            text: maint.needToken ? qsTr("请扫描技术员工牌，或在读卡器上放技术员身份证")
                                  : qsTr("请输入维护密码")
        }
        Rectangle {
            width: parent.width; height: theme.button
            radius: theme.radius; color: theme.surface; border.color: theme.border; border.width: 2
            Text {
                objectName: "maint.pin.dots"
                anchors.centerIn: parent
                text: pad.pin.length > 0 ? "●".repeat(pad.pin.length) : ""
                font.pixelSize: theme.fontLarge; color: theme.text; font.family: theme.fontFamily
            }
        }
        Label {
            objectName: "maint.message"
            width: parent.width; horizontalAlignment: Text.AlignHCenter
            visible: maint.message !== ""
            text: maint.message; color: theme.error; font.bold: true; size: theme.fontSmall
        }
        Grid {
            anchors.horizontalCenter: parent.horizontalCenter
            columns: 3
            spacing: theme.gap / 2
            Repeater {
                model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "ok"]
                Rectangle {
                    objectName: "maint.key." + modelData
                    width: 200; height: 140
                    radius: theme.radius
                    readonly property bool action: modelData === "clear" || modelData === "ok"
                    color: pad.locked ? "#9aa5b4" : (keyArea.pressed ? Qt.darker(theme.primary, 1.2)
                           : (modelData === "ok" ? theme.primary : theme.surface))
                    border.color: theme.primary; border.width: modelData === "ok" ? 0 : 3
                    Text {
                        anchors.centerIn: parent
                        text: modelData === "clear" ? qsTr("清除") : (modelData === "ok" ? qsTr("确定") : modelData)
                        font.family: theme.fontFamily; font.bold: true
                        font.pixelSize: parent.action ? theme.fontLarge * 0.8 : theme.fontTitle
                        color: modelData === "ok" || pad.locked ? "white" : theme.primary
                    }
                    MouseArea {
                        id: keyArea
                        anchors.fill: parent
                        enabled: !pad.locked
                        onClicked: {
                            maint.touch()
                            if (modelData === "clear") pad.pin = ""
                            else if (modelData === "ok") { maint.enterPin(pad.pin); pad.pin = "" }
                            else if (pad.pin.length < 12) pad.pin += modelData
                        }
                    }
                }
            }
        }
        BigButton {
            objectName: "maint.cancel"
            anchors.horizontalCenter: parent.horizontalCenter
            primary: false
            text: qsTr("取消")
            onClicked: maint.cancelEntry()
        }
    }
}
