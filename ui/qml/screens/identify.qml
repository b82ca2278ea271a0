import QtQuick
import "../components"

ScreenPage {
    title: qsTr("请刷身份证")
    prompt: qsTr("将身份证放在下方的感应区，听到提示音前请勿移开")
    Item {
        anchors.fill: parent
        Rectangle {
            id: reader
            anchors { horizontalCenter: parent.horizontalCenter; bottom: parent.bottom; bottomMargin: theme.gap * 4 }
            width: 620; height: 200; radius: 24
            color: "#2b3a4f"
            Text { anchors.centerIn: parent; text: qsTr("身份证感应区"); color: "#cfd8e3"; font.family: theme.fontFamily; font.pixelSize: theme.font }
        }
        Rectangle {
            id: card
            width: 428; height: 270; radius: 22
            anchors.horizontalCenter: parent.horizontalCenter
            gradient: Gradient {
                GradientStop { position: 0; color: "#d9ecff" }
                GradientStop { position: 1; color: "#9cc6f0" }
            }
            border.color: "#5b8fc7"; border.width: 3
            Text { anchors.centerIn: parent; text: qsTr("居民身份证"); font.family: theme.fontFamily; font.pixelSize: theme.fontLarge; color: "#1f4e85"; font.bold: true }
            SequentialAnimation on y {
                loops: Animation.Infinite
                NumberAnimation { from: Math.max(0, reader.y - card.height - 160); to: reader.y - card.height * 0.45
                                  duration: 1400; easing.type: Easing.InOutQuad }
                PauseAnimation { duration: 900 }
            }
        }
    }
}
