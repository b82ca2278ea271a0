import QtQuick

Rectangle {
    default property alias content: inner.data
    property int padding: theme.gap
    color: theme.surface
    radius: theme.radius
    border.color: theme.border
    border.width: theme.elder ? 3 : 1
    implicitHeight: inner.childrenRect.height + 2 * padding
    Item {
        id: inner
        anchors { fill: parent; margins: parent.padding }
    }
}
