import QtQuick

Rectangle {
    id: root
    property string text: ""
    property string subtext: ""
    property bool primary: true
    property bool enabledState: true
    signal clicked()
    implicitWidth: parent && parent.shareWidth !== undefined ? Math.min(theme.buttonWide, parent.shareWidth)
                                                             : theme.buttonWide
    // taller where the label wraps past the standard height (an elder English label on a narrow button)
    implicitHeight: Math.max(subtext ? theme.button * 1.35 : theme.button, labels.implicitHeight + theme.gap)
    radius: theme.radius
    color: !enabledState ? "#4a5668" : (primary ? (area.pressed ? Qt.darker(theme.primary, 1.2) : theme.primary)
                                                 : (area.pressed ? "#e3e9f2" : theme.surface))
    border.color: primary ? "transparent" : theme.primary
    border.width: primary ? 0 : (theme.elder ? 4 : 3)
    Accessible.role: Accessible.Button
    Accessible.name: text

    Column {
        id: labels
        anchors.centerIn: parent
        width: parent.width - 2 * theme.gap
        spacing: 6
        Text {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: root.text
            font.family: theme.fontFamily
            font.pixelSize: theme.fontLarge * 0.82
            font.bold: true
            wrapMode: Text.WordWrap
            // A word wider than a narrow button (English "Decline" in a 15.6" landscape elder pair) is drawn
            // smaller, down to body text (elder body text in elder mode), rather than past the button's edge
            fontSizeMode: Text.HorizontalFit
            minimumPixelSize: theme.font
            color: root.primary ? theme.primaryText : theme.primary
        }
        Text {
            visible: root.subtext !== ""
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: root.subtext
            font.family: theme.fontFamily
            font.pixelSize: theme.fontSmall
            wrapMode: Text.WordWrap
            color: root.primary ? "#dce7f7" : theme.textMuted
        }
    }
    MouseArea {
        id: area
        anchors.fill: parent
        enabled: root.enabledState
        onClicked: root.clicked()
    }
}
