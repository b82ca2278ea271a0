import QtQuick

// 首页 in the middle of an application: asked before what the citizen entered is discarded.
Rectangle {
    id: root
    objectName: "confirmHome"
    property bool shown: false
    visible: shown
    color: "#99000000"
    z: 85
    MouseArea { anchors.fill: parent; onClicked: { kiosk.touch(); root.shown = false } }
    Rectangle {
        anchors.centerIn: parent
        width: parent.width * 0.8
        height: col.implicitHeight + 4 * theme.gap
        radius: theme.radius
        color: theme.surface
        MouseArea { anchors.fill: parent }  // a tap on the card itself does not dismiss it
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
                text: qsTr("退出本次办理？")
            }
            Label {
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                text: qsTr("返回首页将清除本次填写的内容和拍摄的材料，需要重新办理。")
            }
            Row {
                anchors.horizontalCenter: parent.horizontalCenter
                spacing: theme.gap * 2
                BigButton {
                    objectName: "confirmHome.stay"
                    text: qsTr("继续办理")
                    onClicked: { kiosk.touch(); root.shown = false }
                }
                BigButton {
                    objectName: "confirmHome.leave"
                    primary: false
                    text: qsTr("退出办理")
                    onClicked: { root.shown = false; kiosk.cancel() }
                }
            }
        }
    }
}
