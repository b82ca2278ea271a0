import QtQuick

// The "are you still there?" warning before the idle timeout wipes the session (K16 in peers.md). On the
// catalogue and a guide (nothing personal on screen) it says only that the kiosk goes back to the home screen.
Rectangle {
    id: root
    objectName: "countdown"
    visible: kiosk.countdown >= 0
    color: "#99000000"
    z: 80
    MouseArea { anchors.fill: parent; onClicked: kiosk.touch() }
    Rectangle {
        anchors.centerIn: parent
        width: parent.width * 0.8
        height: col.implicitHeight + 4 * theme.gap
        radius: theme.radius
        color: theme.surface
        Column {
            id: col
            anchors.centerIn: parent
            width: parent.width - 4 * theme.gap
            spacing: theme.gap * 1.5
            Label {
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                size: theme.fontLarge
                font.bold: true
                text: kiosk.personal ? qsTr("您还在办理吗？") : qsTr("您还在浏览吗？")
            }
            Label {
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                objectName: "countdown.text"
                text: (kiosk.personal
                       ? qsTr("为保护您的信息，%1 秒后将清除本次填写的内容并结束办理。请取走您的身份证和材料。")
                       : qsTr("%1 秒后将返回首页。")).arg(kiosk.countdown)
            }
            BigButton {
                objectName: "countdown.continue"
                anchors.horizontalCenter: parent.horizontalCenter
                text: kiosk.personal ? qsTr("继续办理") : qsTr("继续浏览")
                onClicked: kiosk.touch()
            }
        }
    }
}
