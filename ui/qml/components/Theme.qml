import QtQuick

// Every size here is in millimetres on the glass, times `mm` (logical px per mm of the kiosk's screen, from
// kiosk/screen.py: the display's EDID or [screen] diagonal_in). They replace the phone guidelines' dp
// numbers once quoted from peers.md (those assume a phone held at 30 cm). The rules (issue 17), checked on
// the rendered screens for 15.6", 21.5" and 32" in both orientations (tests/ui/test_physical_sizes.py):
// - text: Latin capitals ("I") and CJK characters (em) >= 4.8 mm (ADA 707.8); elder text >= 1.5x that
//   (7.2 mm). Noto Sans CJK SC's capital is 0.733 em, so 4.8 mm capitals need a 6.55 mm font size.
// - touch targets >= 20 mm (elder >= 25 mm) on both sides, >= 5 mm apart;
// - contrast >= 4.5:1, elder 7:1 (tests/unit/catalog/test_theme_contrast.py).
QtObject {
    property bool elder: false
    property bool landscape: false
    property real mm: kiosk.pxPerMm  // logical px per millimetre
    function px(millimetres) { return Math.ceil(millimetres * mm) }
    readonly property string fontFamily: "Noto Sans CJK SC"
    readonly property real capRatio: 0.733  // Noto Sans CJK SC: capital height / em
    readonly property int fontMin: px((elder ? 7.2 : 4.8) / capRatio)  // the smallest text allowed anywhere
    readonly property int font: px(elder ? 10.5 : 7.6)
    readonly property int fontSmall: px(elder ? 10 : 6.8)
    readonly property int fontLarge: px(elder ? 14 : 11)
    readonly property int fontTitle: px(elder ? 18 : 15)
    readonly property int target: px(elder ? 25 : 20)  // the smallest control, either side
    readonly property int button: px(elder ? 30 : 26)
    readonly property int buttonWide: px(elder ? 150 : 125)
    readonly property int gap: px(elder ? 8 : 6)  // also the space between controls (>= 5 mm)
    readonly property int radius: px(5)
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
