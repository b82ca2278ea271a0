import QtQuick
import QtQuick.Controls
import "../components"

ScreenPage {
    // Landscape: title, prompt and 下一步 beside the choices and the address, which get the page's height
    headingBeside: true   // (standard landscape too: a 15.6" screen showed 37 mm of it)
    sideShareMax: 0.4     // the title on one line where that is enough (请确认申请信/息 broke on 15.6")
    id: root
    title: qsTr("选择结果送达方式")
    prompt: qsTr("选择邮寄的，办结后免费寄到您填写的地址")
    readonly property var d: kiosk.delivery
    // The district just picked completes the region: the cursor goes on to the street line (no tap to start
    // typing it), as the next thing the citizen has to give.
    readonly property bool regionComplete: d.method === "express" && d.complete === true
    onRegionCompleteChanged: if (regionComplete && address.visible && address.text === "") address.forceActiveFocus()
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
                // The region is picked from the administrative list (config/regions.toml), level by level:
                // what is picked so far (tap a level to choose it again), then what comes next.
                Label { text: qsTr("所在地区（省、市、区县）"); font.bold: true }
                Flow {
                    width: parent.width
                    spacing: theme.px(3)
                    Repeater {
                        model: root.d.path
                        Rectangle {
                            objectName: "delivery.path." + modelData.code
                            width: pathText.implicitWidth + 2 * theme.gap
                            height: theme.button * 0.8
                            radius: theme.px(3)
                            color: theme.primary
                            Text { id: pathText; anchors.centerIn: parent; text: modelData.label + "  ✎"
                                   font.family: theme.fontFamily; font.pixelSize: theme.font; color: "white" }
                            MouseArea { anchors.fill: parent; onClicked: root.push(modelData.parent) }
                        }
                    }
                }
                Label { visible: !root.d.complete; width: parent.width; wrapMode: Text.WordWrap; muted: true
                        text: root.d.path.length ? qsTr("请继续选择下一级") : qsTr("请选择省份") }
                Flow {
                    objectName: "delivery.choices"
                    width: parent.width
                    spacing: theme.px(3)
                    Repeater {
                        model: root.d.choices
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
                }
                Label { text: qsTr("详细地址"); font.bold: true }
                KioskField { id: address; objectName: "delivery.address"; width: parent.width; height: theme.button
                            placeholderText: qsTr("街道、小区、楼栋门牌号")
                            font.pixelSize: theme.font; font.family: theme.fontFamily; text: root.d.address; onTextEdited: root.push() }
            }
        }
    }
    actions: [
        BigButton { objectName: "delivery.next"; text: qsTr("下一步"); onClicked: { Qt.inputMethod.hide(); kiosk.deliveryDone() } }
    ]
}
