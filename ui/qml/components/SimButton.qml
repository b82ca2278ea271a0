import QtQuick

Rectangle {
    id: root
    property string text: ""
    signal clicked()
    width: parent ? parent.width : 300
    height: 52
    radius: 8
    color: area.pressed ? "#3c5a80" : "#2a4060"
    Text { anchors.centerIn: parent; text: root.text; color: "white"; font.pixelSize: 18; font.family: theme.fontFamily
           width: parent.width - 16; elide: Text.ElideRight; horizontalAlignment: Text.AlignHCenter }
    MouseArea { id: area; anchors.fill: parent; onClicked: root.clicked() }
}
