import QtQuick

// A screen: step bar, title, prompt, content, and a bottom row of actions.
Item {
    id: root
    property string title: ""
    property string prompt: ""
    property bool showSteps: true
    default property alias content: body.data
    property alias actions: actionRow.data

    StepBar {
        id: bar
        visible: root.showSteps && kiosk.steps.length > 0
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: theme.gap }
    }
    Column {
        id: heading
        anchors { left: parent.left; right: parent.right; top: bar.visible ? bar.bottom : parent.top
                  margins: theme.gap * 1.5 }
        spacing: theme.gap / 2
        Label { width: parent.width; text: root.title; size: theme.fontTitle; font.bold: true; visible: text !== "" }
        Label { width: parent.width; text: root.prompt; muted: true; visible: text !== "" }
    }
    Item {
        id: body
        anchors { left: parent.left; right: parent.right; top: heading.bottom; bottom: actionRow.top
                  leftMargin: theme.gap * 1.5; rightMargin: theme.gap * 1.5; topMargin: theme.gap; bottomMargin: theme.gap }
    }
    Row {
        id: actionRow
        anchors { horizontalCenter: parent.horizontalCenter; bottom: parent.bottom; bottomMargin: theme.gap * 2 }
        spacing: theme.gap * 2
    }
}
