import QtQuick
import QtQuick.Controls

// The text field every screen uses: big, high-contrast, with the error state drawn in the border.
// `keyboard` (kiosk.journey.keyboards.KeyboardKind) picks the on-screen keyboard that fits the content:
// codes get Latin capitals and digits (Main.qml switches the keyboard to English for them), numbers the
// number pad, phones the dial pad, names and addresses pinyin.
TextField {
    id: field
    property bool error: false
    property string keyboard: ""
    readonly property bool latin: keyboard === "code"
    height: theme.button
    font.family: theme.fontFamily
    font.pixelSize: theme.fontLarge * 0.8
    color: readOnly ? theme.textMuted : theme.text
    placeholderTextColor: theme.textMuted  // the example is read, not guessed at: Qt's default grey was 3.04:1
    inputMethodHints: keyboard === "code" ? (Qt.ImhPreferUppercase | Qt.ImhUppercaseOnly | Qt.ImhLatinOnly
                                             | Qt.ImhNoPredictiveText | Qt.ImhNoAutoUppercase)
                    : keyboard === "digits" ? Qt.ImhDigitsOnly
                    : keyboard === "number" ? Qt.ImhFormattedNumbersOnly
                    : keyboard === "phone" ? Qt.ImhDialableCharactersOnly
                    : Qt.ImhNone
    // A code is capitals whatever the keyboard sent (a physical keyboard without Caps Lock included).
    onTextEdited: if (latin && text !== text.toUpperCase()) {
        var pos = cursorPosition
        text = text.toUpperCase()
        cursorPosition = pos
    }
    background: Rectangle {
        radius: theme.px(3)
        color: field.readOnly ? "#eef2f7" : "white"
        border.width: field.error ? 4 : (field.activeFocus ? 4 : 2)
        border.color: field.error ? theme.error : (field.activeFocus ? theme.primary : theme.border)
    }
}
