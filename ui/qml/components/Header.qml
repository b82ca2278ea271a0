import QtQuick

Rectangle {
    id: root
    // The buttons (>= 20 mm, elder 25 mm: HeaderButton) with 5 mm above and below.
    readonly property int band: theme.target + theme.px(2) + 2 * theme.px(5)
    readonly property int pad: theme.px(5)
    // With large type, a small screen or long English labels the buttons can leave the title no room. In
    // portrait the buttons then wrap onto a second line (a 15.6" screen in elder mode) and the title gets a
    // line of its own under them; in landscape, where height is what is short, the title shrinks to the
    // smallest legible size and, if it still does not fit, gives way (the page's heading says the step).
    readonly property real room: root.width - 2 * theme.gap - buttons.fixedWidth - 2 * buttons.spacing
    readonly property bool stacked: !theme.landscape && usual.advanceWidth(title.text) * 0.65 > room
    FontMetrics { id: smallest; font.family: theme.fontFamily; font.pixelSize: theme.fontSmall; font.bold: true }
    FontMetrics { id: usual; font.family: theme.fontFamily; font.pixelSize: theme.fontLarge * 0.9; font.bold: true }
    // Stacked, the title has the whole width; a long name (elder English on 15.6": "Endorsement on the
    // Exit-Entry Permit ...") wraps onto a second line at the smallest legible size instead of being cut.
    readonly property bool titleWraps: stacked && usual.advanceWidth(title.text) > root.width - 2 * theme.gap
    // While the keyboard is up a stacked title gives way (like the page's heading): its lines are the room
    // the field being typed and its label need above the elder number pad (15.6" portrait, elder English).
    readonly property bool typing: Qt.inputMethod.visible
    height: stacked ? buttons.height + 2 * pad + (title.visible ? title.height + theme.gap / 2 : 0) : band
    color: theme.header
    // 首页 while an application is being filled in: the page asks before discarding (Main's ConfirmDialog).
    readonly property var filling: ["identify", "form", "materials", "sign", "payment", "delivery", "review"]
    signal homeRequested()

    Flow {
        // The home/back buttons on the left and help/language/mode on the right, the title between them; the
        // spacer that holds the title's place goes when the title is stacked, and the buttons wrap.
        id: buttons
        x: theme.gap
        y: root.pad
        width: root.width - 2 * theme.gap
        spacing: theme.gap
        readonly property real fixedWidth: {
            var w = 0, n = 0
            for (var i = 0; i < children.length; ++i) {
                var c = children[i]
                if (c === spacer || !c.visible) continue
                w += c.width; n += 1
            }
            return w + Math.max(0, n - 1) * spacing
        }
        HeaderButton {
            objectName: "header.home"
            visible: kiosk.step !== "home" && kiosk.step !== "submit"
            text: qsTr("首页")
            onClicked: root.filling.indexOf(kiosk.step) >= 0 ? root.homeRequested() : kiosk.cancel()
        }
        HeaderButton {
            objectName: "header.back"
            visible: ["catalog", "status", "mine", "guide", "identify", "form", "materials", "sign", "payment", "delivery", "review"].indexOf(kiosk.step) >= 0
            text: qsTr("返回")
            onClicked: kiosk.back()
        }
        Item {
            id: spacer
            visible: !root.stacked
            width: Math.max(0, Math.floor(root.room) - 1)
            height: 1
        }
        HeaderButton {
            // 呼叫帮助 on every screen (the elder slide promises help at any time)
            objectName: "header.help"
            visible: kiosk.step !== "home"  // home has its own, larger tile
            text: qsTr("求助")  // short: the header keeps the title on its line (elder, English, landscape)
            onClicked: kiosk.callHelp()
        }
        HeaderButton {
            objectName: "header.lang"
            text: kiosk.lang === "zh_CN" ? "English" : "中文"
            onClicked: kiosk.setLang(kiosk.lang === "zh_CN" ? "en_US" : "zh_CN")
        }
        HeaderButton {
            objectName: "header.elder"
            text: kiosk.elder ? qsTr("标准模式") : qsTr("长辈模式")
            highlighted: !kiosk.elder
            onClicked: kiosk.setElder(!kiosk.elder)
        }
    }

    Text {
        id: title
        objectName: "header.title"
        visible: root.stacked ? !root.typing : smallest.advanceWidth(text) <= width
        x: root.stacked ? theme.gap : buttons.x + spacer.x
        width: root.stacked ? root.width - 2 * theme.gap : spacer.width
        y: root.stacked ? buttons.y + buttons.height + theme.gap / 2 : (root.band - height) / 2
        horizontalAlignment: Text.AlignHCenter
        fontSizeMode: root.titleWraps ? Text.FixedSize : Text.HorizontalFit
        minimumPixelSize: theme.fontSmall
        wrapMode: root.titleWraps ? Text.WordWrap : Text.NoWrap
        elide: root.titleWraps ? Text.ElideNone : Text.ElideRight
        // guide read once: the session can end on the journey's thread between two reads (the second gave
        // undefined, "Unable to assign [undefined] to QString", as the kiosk went home while a proof printed)
        text: {
            const name = kiosk.guide.name
            return name && kiosk.step !== "home" && kiosk.step !== "catalog" ? name : qsTr("政务服务自助终端")
        }
        color: "white"
        font.family: theme.fontFamily
        font.pixelSize: root.titleWraps ? theme.fontSmall : theme.fontLarge * 0.9
        font.bold: true
    }
}
