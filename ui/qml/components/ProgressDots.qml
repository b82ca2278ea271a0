import QtQuick

// A progress indicator drawn, not animated by a style: five dots that fill one by one and start again. Every
// frame shows it (a still, a screenshot, an offscreen grab), where a BusyIndicator's spinner can show nothing;
// and it moves calmly (one dot in 0.4 s) for a citizen who waits. Used by the identify screen's reading panel.
Row {
    id: dots
    property bool running: false
    property int count: 5
    property int lit: 2  // dots filled now; a still before the first tick still shows progress
    spacing: theme.px(3)
    Timer { interval: 400; repeat: true; running: dots.running && dots.visible
            onTriggered: dots.lit = dots.lit >= dots.count ? 1 : dots.lit + 1 }
    Repeater {
        model: dots.count
        Rectangle {
            required property int index
            width: theme.px(theme.elder ? 6 : 5); height: width; radius: width / 2
            color: index < dots.lit ? theme.primary : theme.surface
            border { color: theme.primary; width: Math.max(2, theme.px(0.6)) }
        }
    }
}
