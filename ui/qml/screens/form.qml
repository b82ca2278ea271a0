import QtQuick
import QtQuick.Controls
import "../components"

ScreenPage {
    id: root
    title: kiosk.payment.isBill ? qsTr("输入缴费户号") : qsTr("核对并填写信息")
    // A bill reads no ID card: only an application's form says where its prefilled data came from.
    prompt: kiosk.payment.isBill ? qsTr("请输入账单上的户号，也可在扫码口扫描账单条形码")
                                 : qsTr("带“已自动填写”的内容来自您的身份证，请核对；其余请补充")
    Flickable {
        id: flick
        anchors.fill: parent
        contentHeight: col.implicitHeight + theme.gap * 2
        clip: true
        Column {
            id: col
            width: parent.width
            spacing: theme.gap
            Repeater {
                model: kiosk.formFields
                Card {
                    id: fieldCard
                    width: col.width
                    Column {
                        width: parent.width
                        spacing: theme.px(3)
                        Row {
                            spacing: theme.px(4)
                            Label { text: modelData.label + (modelData.required ? " *" : ""); font.bold: true }
                            Tag { visible: modelData.prefilled && modelData.value !== ""; text: qsTr("已自动填写"); fill: theme.ok }
                        }
                        KioskField {
                            id: input
                            objectName: "form.field." + modelData.name
                            visible: modelData.type !== "choice" && modelData.type !== "bool"
                            width: parent.width
                            text: kiosk.fieldValues[modelData.name] || ""
                            readOnly: !modelData.editable
                            maximumLength: modelData.maxLength
                            error: modelData.error !== ""
                            // The hint is the field's explanation: it shows whole under the field (a placeholder is
                            // cut to one line and goes when typing starts); the placeholder gives the example.
                            placeholderText: modelData.example ? qsTr("例如 %1").arg(modelData.example) : ""
                            inputMethodHints: modelData.type === "phone" || modelData.type === "number" ? Qt.ImhDigitsOnly
                                              : (modelData.type === "id_number" ? Qt.ImhPreferNumbers | Qt.ImhPreferUppercase : Qt.ImhNone)
                            onTextEdited: kiosk.setField(modelData.name, text)
                        }
                        Label {
                            objectName: "form.hint." + modelData.name
                            visible: input.visible && (modelData.hint || "") !== ""
                            width: parent.width
                            text: modelData.hint || ""
                            muted: true
                            size: theme.fontSmall
                        }
                        Flow {
                            visible: modelData.type === "choice"
                            width: parent.width
                            spacing: theme.gap
                            Repeater {
                                model: modelData.choices
                                Rectangle {
                                    objectName: "form.choice." + fieldCard.fieldName + "." + modelData.value
                                    readonly property bool chosen: fieldCard.fieldValue === modelData.value
                                    width: Math.max(theme.px(55), chipText.implicitWidth + 2 * theme.gap)
                                    height: theme.button * 0.85
                                    radius: theme.px(3.5)
                                    color: chosen ? theme.primary : "white"
                                    border.color: theme.primary
                                    border.width: 3
                                    Text { id: chipText; anchors.centerIn: parent; text: modelData.label; font.family: theme.fontFamily
                                           font.pixelSize: theme.font; color: parent.chosen ? "white" : theme.primary; font.bold: true }
                                    MouseArea { anchors.fill: parent; onClicked: kiosk.setField(fieldCard.fieldName, modelData.value) }
                                }
                            }
                        }
                        Rectangle {
                            objectName: "form.check." + fieldCard.fieldName
                            visible: modelData.type === "bool"
                            readonly property bool ticked: fieldCard.fieldValue === "true"
                            width: parent.width
                            height: theme.button
                            radius: theme.px(3.5)
                            color: ticked ? "#e6f2ea" : "white"
                            border.color: ticked ? theme.ok : theme.border
                            border.width: 3
                            Rectangle {
                                id: box
                                anchors { left: parent.left; leftMargin: theme.gap; verticalCenter: parent.verticalCenter }
                                width: theme.button * 0.55; height: width; radius: theme.px(2)
                                color: parent.ticked ? theme.ok : "white"
                                border.color: parent.ticked ? theme.ok : theme.textMuted
                                border.width: 3
                                Text { anchors.centerIn: parent; text: "✓"; visible: parent.parent.ticked; color: "white"
                                       font.pixelSize: parent.height * 0.8; font.bold: true }
                            }
                            Label {
                                anchors { left: box.right; right: parent.right; leftMargin: theme.gap; verticalCenter: parent.verticalCenter }
                                text: parent.ticked ? qsTr("已勾选确认") : qsTr("点击勾选确认")
                            }
                            MouseArea { anchors.fill: parent
                                        onClicked: kiosk.setField(fieldCard.fieldName, parent.ticked ? "false" : "true") }
                        }
                        Label { visible: modelData.error !== ""; width: parent.width; text: modelData.error; color: theme.error; size: theme.fontSmall }
                    }
                    readonly property string fieldName: modelData.name
                    readonly property string fieldValue: kiosk.fieldValues[modelData.name] || ""
                }
            }
        }
    }
    actions: [
        BigButton { objectName: "form.next"; text: qsTr("下一步"); onClicked: { Qt.inputMethod.hide(); kiosk.submitForm() } }
    ]
}
