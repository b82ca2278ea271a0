import QtQuick

// A column that scrolls when its content is taller than the room it has (landscape and elder mode leave
// little), with a visible cue that there is more below: nothing is cut off without a way to reach it.
Flickable {
    id: root
    default property alias content: column.data
    property alias spacing: column.spacing
    readonly property bool moreBelow: contentHeight > height + 2 && contentY + height < contentHeight - 2
    contentWidth: width
    contentHeight: column.height
    clip: true
    boundsBehavior: Flickable.StopAtBounds
    Column {
        id: column
        width: root.width
    }
    Rectangle {
        objectName: "moreBelow"
        visible: root.moreBelow
        parent: root
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: more.implicitHeight + theme.gap
        gradient: Gradient {
            GradientStop { position: 0.0; color: "transparent" }
            GradientStop { position: 0.45; color: theme.background }
        }
        Text {
            id: more
            anchors { horizontalCenter: parent.horizontalCenter; bottom: parent.bottom; bottomMargin: 4 }
            text: "▼ " + qsTr("向上滑动查看更多")
            font.family: theme.fontFamily; font.pixelSize: theme.fontSmall; font.bold: true
            color: theme.primary
        }
    }
}
