import QtQuick

// A compact button for the console's dense pages (the citizens' BigButton is too large for rows of them).
Rectangle {
    id: root
    property string text: ""
    property bool primary: false
    property bool enabledState: true
    property bool selected: false
    signal clicked()
    width: Math.max(160, label.implicitWidth + 2 * theme.gap)
    height: 84
    radius: theme.radius
    color: !enabledState ? "#d5dbe3" : (primary || selected ? (area.pressed ? Qt.darker(theme.primary, 1.2) : theme.primary)
                                                           : (area.pressed ? "#e3e9f2" : theme.surface))
    border.color: enabledState ? theme.primary : "#9aa5b4"
    border.width: primary || selected ? 0 : 3
    Accessible.role: Accessible.Button
    Accessible.name: text
    Text {
        id: label
        anchors.centerIn: parent
        width: Math.min(implicitWidth, root.width - 16)
        elide: Text.ElideRight
        text: root.text
        font.family: theme.fontFamily; font.pixelSize: theme.fontSmall + 2; font.bold: true
        color: !root.enabledState ? "#3d4756" : (root.primary || root.selected ? "white" : theme.primary)
    }
    MouseArea { id: area; anchors.fill: parent; enabled: root.enabledState; onClicked: root.clicked() }
}
