import QtQuick
import QtQuick.Controls
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings
import "components"

ApplicationWindow {
    id: win
    objectName: "window"
    readonly property bool landscape: kiosk.orientation === "landscape"
    readonly property int logicalWidth: landscape ? 1920 : 1080
    readonly property int logicalHeight: landscape ? 1080 : 1920
    readonly property int simWidth: kiosk.demo && simPanelShown ? 380 : 0
    property bool simPanelShown: true
    width: logicalWidth + simWidth
    height: logicalHeight
    visible: true
    color: "#0b2545"
    title: qsTr("政务服务自助终端")

    Theme { id: theme; elder: kiosk.elder; landscape: win.landscape }

    Item {
        id: screen
        objectName: "kioskScreen"
        width: win.logicalWidth
        height: win.logicalHeight
        transformOrigin: Item.TopLeft
        scale: Math.min(1.0, win.width / (win.logicalWidth + win.simWidth), win.height / win.logicalHeight)
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
                bottomMargin: keyboard.active ? keyboard.height : 0
            }
            source: Qt.resolvedUrl("screens/" + kiosk.step + ".qml")
        }

        NoticeBar {
            anchors { left: parent.left; right: parent.right; bottom: parent.bottom
                      bottomMargin: keyboard.active ? keyboard.height + theme.gap : theme.gap * 9 }
        }

        BusyOverlay { anchors.fill: parent; visible: kiosk.busy && kiosk.step !== "submit" }
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
            // Its height follows its width: full width on a landscape screen would leave the form no room.
            width: win.landscape ? Math.min(parent.width, parent.height * 1.45) : parent.width
            x: (parent.width - width) / 2
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
        }
    }

    Loader {
        active: kiosk.demo
        x: screen.width * screen.scale
        width: win.simWidth
        height: win.height
        source: Qt.resolvedUrl("components/SimPanel.qml")
    }

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
