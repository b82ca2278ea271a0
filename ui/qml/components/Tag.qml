import QtQuick

Rectangle {
    property alias text: t.text
    property color fill: theme.primary
    width: t.implicitWidth + theme.px(7)
    height: t.implicitHeight + theme.px(3)
    radius: theme.px(2)
    color: fill
    Text { id: t; anchors.centerIn: parent; color: "white"; font.family: theme.fontFamily; font.pixelSize: theme.fontSmall; font.bold: true }
}
