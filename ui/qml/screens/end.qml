import QtQuick
import "../components"

ScreenPage {
    objectName: "end.page"
    showSteps: false
    title: qsTr("感谢使用")
    // Only what this journey used: a bill reads no card and prints a slip; not every item has materials.
    readonly property var takes: ({
        "card_receipt_pages": qsTr("请取走您的身份证、回执和高拍仪下的材料。离开本页时，本次填写的信息将从本机清除。"),
        "card_receipt": qsTr("请取走您的身份证和回执。离开本页时，本次填写的信息将从本机清除。"),
        "receipt_pages": qsTr("请取走您的回执和高拍仪下的材料。离开本页时，本次填写的信息将从本机清除。"),
        "receipt": qsTr("请取走您的回执。离开本页时，本次填写的信息将从本机清除。"),
        "card_slip": qsTr("请取走您的身份证和缴费凭条。离开本页时，本次填写的信息将从本机清除。"),
        "slip": qsTr("请取走您的缴费凭条。离开本页时，本次填写的信息将从本机清除。")
    })
    prompt: takes[kiosk.outcome.take || "card_receipt_pages"]
    Text {
        anchors.fill: parent
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        fontSizeMode: Text.Fit  // a long prompt (elder, English, landscape) leaves less room
        minimumPixelSize: theme.fontLarge
        text: "☺"
        font.pixelSize: theme.px(65)
        color: theme.primary
    }
    actions: [
        BigButton { objectName: "end.home"; text: qsTr("返回首页"); onClicked: kiosk.finish() }
    ]
}
