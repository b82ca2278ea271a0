import QtQuick
import QtQuick.Controls
import "../components"

ScreenPage {
    id: root
    title: qsTr("选择结果送达方式")
    prompt: qsTr("选择邮寄的，办结后免费寄到您填写的地址")
    readonly property var d: kiosk.delivery
    readonly property bool otherRegion: d.region !== "" && !/^[0-9]{6}$/.test(d.region)
    function push(region) {
        kiosk.setDelivery(d.method, recipient.text, phone.text, region === undefined ? d.region : region, address.text)
    }
    Flickable {
        id: flick
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
                                onClicked: kiosk.setDelivery(modelData.value, recipient.text, phone.text, root.d.region, address.text) }
                }
            }
            Column {
                visible: root.d.method === "express"
                width: parent.width
                spacing: theme.px(3)
                Label { text: qsTr("收件人"); font.bold: true }
                KioskField { id: recipient; objectName: "delivery.recipient"; width: parent.width; height: theme.button
                            font.pixelSize: theme.font; font.family: theme.fontFamily; text: root.d.recipient; onTextEdited: root.push() }
                Label { text: qsTr("手机号码"); font.bold: true }
                KioskField { id: phone; objectName: "delivery.phone"; width: parent.width; height: theme.button; maximumLength: 11
                            inputMethodHints: Qt.ImhDigitsOnly
                            font.pixelSize: theme.font; font.family: theme.fontFamily; text: root.d.phone; onTextEdited: root.push() }
                Label { text: qsTr("所在地区：%1").arg(root.d.city); font.bold: true }
                Flow {
                    width: parent.width
                    spacing: theme.px(3)
                    Repeater {
                        model: root.d.districts
                        Rectangle {
                            objectName: "delivery.region." + modelData.code
                            readonly property bool chosen: root.d.region === modelData.code
                            width: Math.max(theme.button * 1.5, regionText.implicitWidth + 2 * theme.gap)
                            height: theme.button * 0.8
                            radius: theme.px(3)
                            color: chosen ? theme.primary : "white"
                            border.color: theme.primary; border.width: 2
                            Text { id: regionText; anchors.centerIn: parent; text: modelData.label; font.family: theme.fontFamily
                                   font.pixelSize: theme.font; color: parent.chosen ? "white" : theme.primary }
                            MouseArea { anchors.fill: parent; onClicked: root.push(modelData.code) }
                        }
                    }
                    Rectangle {
                        objectName: "delivery.region.other"
                        width: Math.max(theme.button * 1.5, otherText.implicitWidth + 2 * theme.gap)
                        height: theme.button * 0.8
                        radius: theme.px(3)
                        color: root.otherRegion ? theme.primary : "white"
                        border.color: theme.primary; border.width: 2
                        Text { id: otherText; anchors.centerIn: parent; text: qsTr("其他地区"); font.family: theme.fontFamily
                               font.pixelSize: theme.font; color: root.otherRegion ? "white" : theme.primary }
                        MouseArea { anchors.fill: parent; onClicked: root.push(regionInput.text || " ") }
                    }
                }
                KioskField { id: regionInput; objectName: "delivery.region_text"; visible: root.otherRegion
                            width: parent.width; height: theme.button; font.pixelSize: theme.font; font.family: theme.fontFamily
                            placeholderText: qsTr("省、市、区县，如 广东省广州市天河区")
                            onTextEdited: root.push(text || " ") }
                Label { text: qsTr("详细地址"); font.bold: true }
                KioskField { id: address; objectName: "delivery.address"; width: parent.width; height: theme.button
                            font.pixelSize: theme.font; font.family: theme.fontFamily; text: root.d.address; onTextEdited: root.push() }
            }
        }
    }
    actions: [
        BigButton { objectName: "delivery.next"; text: qsTr("下一步"); onClicked: { Qt.inputMethod.hide(); kiosk.deliveryDone() } }
    ]
}
