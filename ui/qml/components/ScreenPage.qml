import QtQuick

// A screen: step bar, title, prompt, content, and a bottom row of actions.
Item {
    id: root
    property string title: ""
    property string prompt: ""
    property bool showSteps: true
    default property alias content: body.data
    property alias actions: actionRow.data
    // While the keyboard is up, room is short (landscape especially): the step bar and the heading give
    // way so the field being edited and the actions stay visible.
    readonly property bool typing: Qt.inputMethod.visible

    StepBar {
        id: bar
        visible: root.showSteps && kiosk.steps.length > 0 && !root.typing
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: theme.gap }
    }
    Column {
        id: heading
        visible: !root.typing
        height: visible ? implicitHeight : 0
        anchors { left: parent.left; right: parent.right; top: bar.visible ? bar.bottom : parent.top
                  margins: theme.gap * 1.5 }
        spacing: theme.gap / 2
        Label { width: parent.width; text: root.title; size: theme.fontTitle; font.bold: true; visible: text !== "" }
        Label { width: parent.width; text: root.prompt; muted: true; visible: text !== "" }
    }
    Item {
        id: body
        clip: true
        anchors { left: parent.left; right: parent.right; top: heading.bottom; bottom: actionRow.top
                  leftMargin: theme.gap * 1.5; rightMargin: theme.gap * 1.5; topMargin: theme.gap; bottomMargin: theme.gap }
    }
    Row {
        id: actionRow
        anchors { horizontalCenter: parent.horizontalCenter; bottom: parent.bottom
                  bottomMargin: root.typing ? theme.gap / 2 : theme.gap * 2 }
        spacing: theme.gap * 2
    }
}
