import QtQuick

Text {
    property bool muted: false
    property int size: theme.font
    font.family: theme.fontFamily
    font.pixelSize: size
    color: muted ? theme.textMuted : theme.text
    wrapMode: Text.WordWrap
    lineHeight: 1.3
}
