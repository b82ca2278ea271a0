import QtQuick
import "../components"

// The technicians' console over the citizen's screens: the PIN pad, then the console itself.
Rectangle {
    id: root
    objectName: "maint.console"
    color: theme.background
    // Swallow every touch meant for the screens below; any touch keeps the console awake.
    MouseArea { anchors.fill: parent; onPressed: function(mouse) { maint.touch(); mouse.accepted = true } }

    PinPad {
        anchors.fill: parent
        visible: maint.state === "prompt" || maint.state === "locked"
    }
    Panel {
        anchors.fill: parent
        visible: maint.state === "open"
    }
}
