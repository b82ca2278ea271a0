import QtQuick
import QtQuick.Controls
import "../components"

ScreenPage {
    id: root
    title: qsTr("选择结果送达方式")
    prompt: qsTr("选择邮寄的，办结后免费寄到您填写的地址")
    readonly property var d: kiosk.delivery
    function push() { kiosk.setDelivery(d.method, recipient.text, phone.text, "", address.text) }
    Flickable {
        anchors.fill: parent
        contentHeight: col.implicitHeight
        clip: true
        Column {
            id: col
            width: parent.width
            spacing: theme.gap
            Repeater {
                model: root.d.methods
                Rectangle {
                    objectName: "delivery.method." + modelData.value
                    readonly property bool chosen: root.d.method === modelData.value
                    width: col.width
                    height: theme.button
                    radius: theme.radius
                    color: chosen ? theme.primary : theme.surface
                    border.color: theme.primary
                    border.width: 3
                    Text { anchors.centerIn: parent; text: modelData.label; font.family: theme.fontFamily; font.pixelSize: theme.fontLarge * 0.8
                           font.bold: true; color: parent.chosen ? "white" : theme.primary }
                    MouseArea { anchors.fill: parent
                                onClicked: kiosk.setDelivery(modelData.value, recipient.text, phone.text, "", address.text) }
                }
            }
            Column {
                visible: root.d.method === "express"
                width: parent.width
                spacing: 12
                Label { text: qsTr("收件人"); font.bold: true }
                TextField { id: recipient; objectName: "delivery.recipient"; width: parent.width; height: theme.button
                            font.pixelSize: theme.font; font.family: theme.fontFamily; text: root.d.recipient; onTextEdited: root.push() }
                Label { text: qsTr("手机号码"); font.bold: true }
                TextField { id: phone; objectName: "delivery.phone"; width: parent.width; height: theme.button; maximumLength: 11
                            inputMethodHints: Qt.ImhDigitsOnly
                            font.pixelSize: theme.font; font.family: theme.fontFamily; text: root.d.phone; onTextEdited: root.push() }
                Label { text: qsTr("详细地址"); font.bold: true }
                TextField { id: address; objectName: "delivery.address"; width: parent.width; height: theme.button
                            font.pixelSize: theme.font; font.family: theme.fontFamily; text: root.d.address; onTextEdited: root.push() }
            }
        }
    }
    actions: [
        BigButton { objectName: "delivery.next"; text: qsTr("下一步"); onClicked: { Qt.inputMethod.hide(); kiosk.deliveryDone() } }
    ]
}
