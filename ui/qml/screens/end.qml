import QtQuick
import "../components"

ScreenPage {
    objectName: "end.page"
    showSteps: false
    title: qsTr("感谢使用")
    prompt: qsTr("请取走您的身份证、回执和高拍仪下的材料。离开本页时，本次填写的信息将从本机清除。")
    Text {
        anchors.fill: parent
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        fontSizeMode: Text.Fit  // a long prompt (elder, English, landscape) leaves less room
        minimumPixelSize: 40
        text: "☺"
        font.pixelSize: 260
        color: theme.primary
    }
    actions: [
        BigButton { objectName: "end.home"; text: qsTr("返回首页"); onClicked: kiosk.finish() }
    ]
}
