import QtQuick
import "../components"

ScreenPage {
    showSteps: false
    title: qsTr("感谢使用")
    prompt: qsTr("请取回您的身份证和回执。本次填写的信息已从本机清除。")
    Text {
        anchors.centerIn: parent
        text: "☺"
        font.pixelSize: 260
        color: theme.primary
    }
    actions: [
        BigButton { objectName: "end.home"; text: qsTr("返回首页"); onClicked: kiosk.finish() }
    ]
}
