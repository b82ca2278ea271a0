import QtQuick

// Sizes follow the 适老化 numbers (peers.md): elder mode text >= 18 dp at reading distance scaled to this
// 1080 px wide screen, targets well above 60x60 dp, contrast >= 4.5:1.
QtObject {
    property bool elder: false
    property bool landscape: false
    readonly property string fontFamily: "Noto Sans CJK SC"
    readonly property int font: elder ? 40 : 30
    readonly property int fontSmall: elder ? 32 : 24
    readonly property int fontLarge: elder ? 56 : 44
    readonly property int fontTitle: elder ? 72 : 60
    readonly property int button: elder ? 136 : 112
    readonly property int buttonWide: elder ? 620 : 520
    readonly property int gap: elder ? 32 : 24
    readonly property int radius: 20
    readonly property color background: elder ? "#ffffff" : "#f2f5fa"
    readonly property color surface: "#ffffff"
    readonly property color primary: elder ? "#003a8c" : "#0b4ea2"
    readonly property color primaryText: "#ffffff"
    readonly property color text: elder ? "#000000" : "#1d2733"
    readonly property color textMuted: elder ? "#222222" : "#4a5668"
    readonly property color border: elder ? "#222222" : "#c9d3e0"
    // Status colours: darker in elder mode, where text and white-on-colour bars need 7:1 (tested).
    readonly property color ok: elder ? "#0f5a28" : "#1b7f3b"
    readonly property color warn: elder ? "#6b3f00" : "#9a5b00"
    readonly property color error: elder ? "#8c1d18" : "#b3261e"
    readonly property color header: elder ? "#002766" : "#0b4ea2"
}
