import QtQuick

Rectangle {
    id: root
    property string text: ""
    property string detail: ""    // a second, smaller line (what an identity exercises)
    property bool checked: false  // the state the panel is in now (platform mode, orientation ...)
    signal clicked()
    width: parent ? parent.width : 300
    height: detail ? 62 : 46
    radius: 8
    color: area.pressed ? "#3c5a80" : checked ? "#2f6f4f" : "#2a4060"
    border.color: checked ? "#8fe0b0" : "transparent"
    Column {
        anchors.centerIn: parent
        width: parent.width - 16
        Text { text: root.text; color: "white"; font.pixelSize: 17; font.family: theme.fontFamily
               width: parent.width; elide: Text.ElideRight; horizontalAlignment: Text.AlignHCenter }
        Text { visible: root.detail !== ""; text: root.detail; color: "#b8c8da"; font.pixelSize: 13
               font.family: theme.fontFamily; width: parent.width; elide: Text.ElideRight
               horizontalAlignment: Text.AlignHCenter }
    }
    MouseArea { id: area; anchors.fill: parent; onClicked: root.clicked() }
}
