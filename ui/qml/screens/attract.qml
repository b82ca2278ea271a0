import QtQuick
import "../components"

Rectangle {
    id: root
    gradient: Gradient {
        GradientStop { position: 0.0; color: "#0b4ea2" }
        GradientStop { position: 1.0; color: "#062a5c" }
    }
    Column {
        anchors.centerIn: parent
        width: parent.width * 0.86
        spacing: theme.gap * 2
        Text {
            width: parent.width; horizontalAlignment: Text.AlignHCenter; wrapMode: Text.WordWrap
            text: qsTr("政务服务 24小时自助终端"); color: "white"
            font.family: theme.fontFamily; font.pixelSize: theme.fontTitle * 1.2; font.bold: true
        }
        Text {
            width: parent.width; horizontalAlignment: Text.AlignHCenter; wrapMode: Text.WordWrap
            text: qsTr("不见面审批 · 秒批秒办 · 结果邮寄到家"); color: "#dce7f7"
            font.family: theme.fontFamily; font.pixelSize: theme.fontLarge
        }
        Rectangle {
            id: hint
            anchors.horizontalCenter: parent.horizontalCenter
            width: parent.width * 0.7; height: theme.button * 1.3; radius: height / 2
            color: "#f5b700"
            Text {
                anchors.centerIn: parent
                text: qsTr("点击屏幕 开始办理"); color: "#1d2733"
                font.family: theme.fontFamily; font.pixelSize: theme.fontLarge; font.bold: true
            }
            SequentialAnimation on opacity {
                loops: Animation.Infinite
                NumberAnimation { to: 0.55; duration: 900 }
                NumberAnimation { to: 1.0; duration: 900 }
            }
        }
        Text {
            width: parent.width; horizontalAlignment: Text.AlignHCenter; wrapMode: Text.WordWrap
            text: qsTr("请准备好您的居民身份证"); color: "#dce7f7"
            font.family: theme.fontFamily; font.pixelSize: theme.font
        }
    }
    MouseArea {
        objectName: "attract.start"
        anchors.fill: parent
        onClicked: kiosk.wake()
    }
}
