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
    // A short page (a small landscape screen in elder mode: 194 mm of glass) sets its heading smaller, so the
    // content keeps room; still at least the theme's smallest legible size.
    readonly property bool short: height < theme.px(theme.elder ? 170 : 120)

    StepBar {
        id: bar
        // (a short landscape page gives its room to the content: the heading names the step)
        visible: root.showSteps && kiosk.steps.length > 0 && !root.typing && !(root.short && theme.landscape)
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: theme.gap }
    }
    Column {
        id: heading
        visible: !root.typing
        height: visible ? implicitHeight : 0
        anchors { left: parent.left; right: parent.right; top: bar.visible ? bar.bottom : parent.top
                  margins: root.short ? theme.gap : theme.gap * 1.5 }
        spacing: theme.gap / 2
        Label { width: parent.width; text: root.title; size: root.short ? theme.fontLarge : theme.fontTitle
                font.bold: true; visible: text !== ""; lineHeight: root.short ? 1.0 : 1.3 }
        Label { width: parent.width; text: root.prompt; muted: true; visible: text !== ""
                size: root.short ? theme.fontSmall : theme.font; lineHeight: root.short ? 1.1 : 1.3 }
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
        // Two or three actions share the width when their full width does not fit (a small screen in elder
        // mode): BigButton takes the smaller of its own width and this share.
        readonly property real shareWidth: (root.width - 2 * theme.gap - (visibleChildren.length - 1) * spacing)
                                           / Math.max(1, visibleChildren.length)
    }
}
