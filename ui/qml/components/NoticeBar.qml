import QtQuick

Rectangle {
    id: root
    objectName: "notice"
    property var n: kiosk.notice
    // A field's own error shows under the field; the bar is for everything else. The numbered code is for
    // technicians (the console, the log and the audit trail carry it), not printed at the citizen.
    // held: the window asks the bar to wait (no room for it while the keyboard is up); it shows again after
    property bool held: false
    readonly property real needed: msg.implicitHeight + 2 * theme.gap  // the room it takes when shown
    visible: n.text !== undefined && n.text !== "" && !n.field && !held
    height: visible ? needed : 0
    radius: theme.radius
    z: 50
    color: n.level === "error" ? "#fdecea" : (n.level === "info" ? "#e8f1fd" : "#fff4e0")
    border.color: n.level === "error" ? theme.error : (n.level === "info" ? theme.primary : theme.warn)
    border.width: 3
    Text {
        id: msg
        anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: theme.gap }
        text: root.n.text || ""
        wrapMode: Text.WordWrap
        font.family: theme.fontFamily
        font.pixelSize: theme.font
        font.bold: true
        color: root.n.level === "error" ? theme.error : (root.n.level === "info" ? theme.primary : theme.warn)
    }
}
