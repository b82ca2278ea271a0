import QtQuick

Rectangle {
    property alias text: t.text
    property color fill: theme.primary
    width: t.implicitWidth + 28
    height: t.implicitHeight + 12
    radius: 8
    color: fill
    Text { id: t; anchors.centerIn: parent; color: "white"; font.family: theme.fontFamily; font.pixelSize: theme.fontSmall; font.bold: true }
}
