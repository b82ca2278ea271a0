import QtQuick
import QtQuick.Controls

// The text field every screen uses: big, high-contrast, with the error state drawn in the border.
TextField {
    id: field
    property bool error: false
    height: theme.button
    font.family: theme.fontFamily
    font.pixelSize: theme.fontLarge * 0.8
    color: readOnly ? theme.textMuted : theme.text
    placeholderTextColor: theme.textMuted  // the example is read, not guessed at: Qt's default grey was 3.04:1
    background: Rectangle {
        radius: theme.px(3)
        color: field.readOnly ? "#eef2f7" : "white"
        border.width: field.activeFocus ? 4 : 2
        border.color: field.error ? theme.error : (field.activeFocus ? theme.primary : theme.border)
    }
}
