import QtQuick
import QtQuick.VirtualKeyboard
import "."

// Made once, never shown (Main.qml): the types a screen builds for the first time in a process cost more
// than the same build later (Qt loads their compiled units, makes their property caches, and the Basic
// style's TextField behind KioskField, on the first instance). The form, the slowest screen change
// (identify -> form, issue 22), paid that with the citizen's card on the reader; the kiosk pays it instead
// while the attract screen idles after start-up. Nothing here reads the view-model: no side effect.
Item {
    visible: false
    // the form's own compiled unit, loaded (not built) so the first form only builds it
    readonly property var form: Qt.createComponent(Qt.resolvedUrl("../screens/form.qml"), Component.Asynchronous)
    FontMetrics { font.family: theme.fontFamily; font.pixelSize: theme.fontSmall }
    Flow {
        width: 400
        Repeater {
            model: 1
            Card {
                width: 400
                Column {
                    width: parent.width
                    Flow {
                        width: parent.width
                        Label { text: "*" }
                        Tag { text: "*"; fill: theme.ok }
                    }
                    KioskField { width: parent.width; placeholderText: "*"; EnterKeyAction.actionId: EnterKeyAction.Next }
                    Label { text: "*"; muted: true; size: theme.fontSmall }
                    Loader { active: true; sourceComponent: Component { Flow { Text { text: "*" } } } }
                }
            }
        }
    }
}
