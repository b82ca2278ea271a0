import QtQuick

// The simulator panel when hidden: a narrow tab at the window's edge brings it back (or F12).
Rectangle {
    color: "#1b2a3d"
    Rectangle {
        objectName: "sim.show"
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: 4 }
        height: 120
        radius: 6
        color: showArea.pressed ? "#3c5a80" : "#2a4060"
        Text { anchors.centerIn: parent; text: "◀\n模\n拟"; color: "white"; font.pixelSize: 16
               font.family: theme.fontFamily; horizontalAlignment: Text.AlignHCenter }
        MouseArea { id: showArea; anchors.fill: parent; onClicked: win.simPanelShown = true }
    }
}
