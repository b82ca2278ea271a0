import QtQuick
import QtQuick.Controls
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings
import QtQuick.VirtualKeyboard.Styles
import "components"

ApplicationWindow {
    id: win
    objectName: "window"
    readonly property bool landscape: kiosk.orientation === "landscape"
    readonly property int logicalWidth: landscape ? 1920 : 1080
    readonly property int logicalHeight: landscape ? 1080 : 1920
    // Demo: the simulator panel beside the scene. Hidden, it leaves a narrow tab that brings it back.
    property bool simPanelShown: true
    readonly property int simWidth: kiosk.demo ? (simPanelShown ? 380 : 36) : 0
    // Demo with a physical keyboard (a tester's laptop): the on-screen keyboard stays closed.
    property bool physicalKeyboard: false
    readonly property bool keyboardShown: keyboard.active && keyboard.visible
    // Landscape elder mode: the number pad (four rows of 30 mm keys, 70% of a 15.6" screen's height) stands
    // beside the page instead of under it, so the field being typed and its label keep the page's full
    // height. The pad's keys take a square as wide as it is tall (Qt's digits layouts), so it needs no more.
    readonly property bool padBeside: landscape && theme.elder && keyboard.numberPad
    // The size is set once, not bound: a demo window is then sized to its screen (ui/demo/window_place.py),
    // and turning the scene (orientation) rescales it inside the window instead of resizing the window.
    QtObject { Component.onCompleted: { win.width = win.logicalWidth + win.simWidth; win.height = win.logicalHeight } }
    visible: true
    color: "#0b2545"
    title: qsTr("政务服务自助终端")

    Theme { id: theme; objectName: "theme"; elder: kiosk.elder; landscape: win.landscape }

    Item {
        id: screen
        objectName: "kioskScreen"
        width: win.logicalWidth
        height: win.logicalHeight
        transformOrigin: Item.TopLeft
        // The scene keeps its resolution and is scaled as a whole: in the demo into the space left of the
        // panel, letterboxed and centred (Qt maps mouse and touch through the scale); a kiosk as before.
        readonly property real stageWidth: win.width - win.simWidth
        scale: kiosk.demo ? Math.min(stageWidth / win.logicalWidth, win.height / win.logicalHeight)
                          : Math.min(1.0, win.width / win.logicalWidth, win.height / win.logicalHeight)
        x: kiosk.demo ? Math.max(0, (stageWidth - width * scale) / 2) : 0
        y: kiosk.demo ? Math.max(0, (win.height - height * scale) / 2) : 0
        clip: true

        Rectangle { anchors.fill: parent; color: theme.background }

        Header {
            id: header
            anchors { left: parent.left; right: parent.right; top: parent.top }
            visible: kiosk.step !== "attract"
            onHomeRequested: confirmHome.shown = true
        }

        Loader {
            id: page
            objectName: "page"
            anchors {
                left: parent.left; right: parent.right; bottom: parent.bottom
                top: header.visible ? header.bottom : parent.top
                // the notice bar's room is kept under the page while it shows: it never covers a tile,
                // a field or the actions (the page is laid out again in the height left). Not on the attract
                // screen: a touch anywhere there starts, around the bar too (a rectangle takes no touch), and
                // its slides keep their height (a 15.6" landscape title was cut with the bar's room taken)
                bottomMargin: (win.keyboardShown && !win.padBeside ? keyboard.height : 0)
                              + (noticeBar.visible && kiosk.step !== "attract" ? noticeBar.height + theme.gap * 2 : 0)
                rightMargin: win.keyboardShown && win.padBeside ? keyboard.width : 0
            }
            source: Qt.resolvedUrl("screens/" + kiosk.step + ".qml")
        }

        NoticeBar {
            id: noticeBar
            // In landscape the keyboard (or the elder number pad) leaves the page little room: with the bar too,
            // a 15.6" elder form had no room for the field being typed in. The bar waits until the keyboard
            // closes (the voice has said the notice meanwhile). So in portrait where the page left over the
            // keyboard and the bar would be under 130 mm (15.6" portrait elder English: the form showed 17 mm of
            // its fields, the label of the field typed in and not its box).
            held: win.keyboardShown && (win.landscape
                                        || page.parent.height - header.height - keyboard.height - needed
                                           < theme.px(130))
            anchors { left: parent.left; right: parent.right; bottom: parent.bottom
                      // the bar's own side margins, plus the pad's width where the pad stands beside the page
                      leftMargin: theme.gap * 2
                      rightMargin: (win.keyboardShown && win.padBeside ? keyboard.width : 0) + theme.gap * 2
                      bottomMargin: (win.keyboardShown && !win.padBeside ? keyboard.height : 0) + theme.gap }
        }

        BusyOverlay { objectName: "busy"; anchors.fill: parent; visible: kiosk.busy && kiosk.step !== "submit"
                      text: (page.item && page.item.busyText) || ""
                      veiled: !(page.item && page.item.busyInPage) }
        CountdownDialog { anchors.fill: parent }
        ConfirmDialog {
            id: confirmHome
            anchors.fill: parent
            Connections { target: kiosk; function onStepChanged() { confirmHome.shown = false } }
        }

        Loader {  // the technicians' console, over everything but the keyboard
            objectName: "maintenance"
            anchors.fill: parent
            z: 90
            active: maint.active
            source: Qt.resolvedUrl("maintenance/Console.qml")
        }

        InputPanel {
            id: keyboard
            objectName: "keyboard"
            z: 99
            visible: !win.physicalKeyboard
            // Its height follows its width: full width on a landscape screen would leave the form no room.
            width: win.padBeside ? Math.ceil(theme.button * win.elderPadRows * 1.08)
                 : win.landscape ? Math.min(parent.width, parent.height * 1.45) : parent.width
            x: win.padBeside ? parent.width - width : (parent.width - width) / 2
            y: active ? parent.height - height : parent.height
            readonly property string layoutLocale: keyboard.keyboard ? keyboard.keyboard.locale : ""  // shown layout
            // Elder mode: the number pad's keys are at least the elder theme's touch target (theme.button) in
            // both directions. The pad has four rows; its height follows the style's design height, so that is
            // raised while a number field has the focus (the page above shrinks with it).
            readonly property bool numberPad: win.activeFocusItem !== null && win.activeFocusItem.inputMethodHints !== undefined
                && (win.activeFocusItem.inputMethodHints & (Qt.ImhDigitsOnly | Qt.ImhFormattedNumbersOnly
                                                            | Qt.ImhDialableCharactersOnly)) !== 0
            Binding {
                target: keyboard.keyboard.style
                property: "keyboardDesignHeight"
                when: theme.elder && keyboard.numberPad && keyboard.keyboard.style !== null
                value: Math.ceil(theme.button * win.elderPadRows * keyboard.keyboard.style.keyboardDesignWidth / keyboard.width)
                restoreMode: Binding.RestoreBindingOrValue
            }
            // ... and the digits on those keys are elder text (>= 7.2 mm capitals): the stock style sizes its
            // labels by the pad's width (scaleHint), so taller keys kept the standard keyboard's small digits.
            Binding {
                target: keyboard.keyboard.style
                property: "keyPanel"
                when: theme.elder && keyboard.numberPad && keyboard.keyboard.style !== null
                value: elderKeyPanel
                restoreMode: Binding.RestoreBindingOrValue
            }
            Component {
                id: elderKeyPanel
                KeyPanel {
                    id: elderKey
                    Rectangle {
                        anchors { fill: parent; margins: theme.px(0.8) }
                        radius: theme.px(1.5)
                        color: elderKey.control && elderKey.control.pressed ? "#4f5b62" : "#000a12"
                        Text {
                            anchors.centerIn: parent
                            text: elderKey.control ? elderKey.control.displayText : ""
                            color: "#ffffff"
                            font { family: theme.fontFamily; pixelSize: theme.fontLarge; bold: true }
                        }
                    }
                }
            }
        }
    }

    Loader {
        objectName: "simPanel"
        active: kiosk.demo && kiosk.ready  // its model exists once the runtime is built (ui/models/boot_vm.py)
        x: win.width - win.simWidth
        width: win.simWidth
        height: win.height
        source: Qt.resolvedUrl(win.simPanelShown ? "components/SimPanel.qml" : "components/SimPanelTab.qml")
    }
    Shortcut { enabled: kiosk.demo && kiosk.ready; sequence: "F12"; onActivated: win.simPanelShown = !win.simPanelShown }

    // The keyboard never hides the field being edited: whenever it opens or the focus moves, the focused
    // field's Flickable scrolls it into the space above the keyboard.
    function ensureFocusVisible() {
        var item = win.activeFocusItem
        if (!item || !Qt.inputMethod.visible) return
        var flick = item.parent
        while (flick && flick.contentY === undefined) flick = flick.parent
        if (!flick) return
        var p = item.mapToItem(flick, 0, 0)
        var margin = theme.gap
        if (p.y + item.height + margin > flick.height)
            flick.contentY = Math.min(flick.contentHeight - flick.height, flick.contentY + p.y + item.height + margin - flick.height)
        else if (p.y < margin)
            flick.contentY = Math.max(0, flick.contentY + p.y - margin)
    }
    Timer { id: focusTimer; interval: 30; onTriggered: win.ensureFocusVisible() }
    onActiveFocusItemChanged: focusTimer.restart()
    Connections {
        target: Qt.inputMethod
        function onVisibleChanged() { focusTimer.restart() }
        function onKeyboardRectangleChanged() { focusTimer.restart() }
    }

    // The keyboard's language: English in English mode and for a code field (Latin capitals and digits, see
    // KioskField.keyboard), Chinese pinyin otherwise. The language key still switches by hand.
    readonly property real elderPadRows: 4.5  // four rows of keys and the keyboard's own margins
    readonly property string keyboardLocale: (kiosk.lang === "en_US"
                                              || (win.activeFocusItem && win.activeFocusItem.latin === true))
                                             ? "en_US" : "zh_CN"
    onKeyboardLocaleChanged: VirtualKeyboardSettings.locale = keyboardLocale

    Component.onCompleted: {
        VirtualKeyboardSettings.activeLocales = ["zh_CN", "en_US"]
        VirtualKeyboardSettings.locale = win.keyboardLocale
    }
}
