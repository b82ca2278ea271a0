import QtQuick
import "../components"

ScreenPage {
    id: root
    property bool helpShown: kiosk.notice.code !== undefined && kiosk.notice.code >= 1100 && kiosk.notice.code < 1200
    // From the moment the reader finds the card until the form (the card read, then the platform asked): the
    // card lies still on the reader and the page says, in its own panel, what is happening and what to do.
    readonly property bool reading: kiosk.busy && kiosk.step === "identify"
    title: qsTr("请刷身份证")
    // landscape: the heading and the button beside the drawing, which gets the page's height (15.6" elder
    // landscape drew the reader and card about 10 mm tall under a two-line prompt and a tall button)
    headingBeside: true
    sideShareMax: 0.4
    // A short page (15.6" landscape in elder mode: 18 mm left for the drawing) cannot keep the panel's room
    // beside a full heading and the button row: while the card is read there, the prompt (done with: the card
    // is on the reader) and the button give the panel their room; the drawing moves then, as it must.
    readonly property bool makeRoom: reading && short
    prompt: makeRoom ? "" : qsTr("将身份证放在下方的感应区，听到提示音前请勿移开")
    // This screen draws its own busy state (the panel below): the window's overlay only holds taps, without
    // its veil and spinner over the drawing (Main.qml).
    busyInPage: true
    Item {
        id: stage
        anchors.fill: parent
        // Where the panel goes: beside the drawing on a wide, low page (landscape), under it otherwise.
        readonly property bool side: width > height * 1.5
        // wide enough for the first sentence on one line at its size (13 characters) where the page allows
        readonly property real panelWidth: Math.min(side ? width * 0.5 : width, theme.px(theme.elder ? 215 : 170))
        // the room the drawing may take: beside the panel (landscape), or above it
        readonly property real artWidth: side ? width - panelWidth - theme.gap * 4 : width
        // (a short page, where the prompt and the button give way while the card is read, lets the drawing
        // have the panel's room until then: the drawing shrinks when the card is found, as it must)
        readonly property real artHeight: side || (root.short && !root.reading) ? height
                                        : Math.max(0, height - panel.height - theme.gap)
        Item {
            id: art
            objectName: "identify.art"
            // The panel's room is kept beside or under the drawing before a card too: the card found, the
            // drawing does not jump; the panel appears in a space that was waiting for it.
            // Beside the panel, the two stand together in the middle of the page; before a card the drawing
            // alone does, and glides aside (the panel with it) when the card is found, its size unchanged.
            readonly property real placedX: !stage.side ? 0
                : root.reading ? Math.max(0, (stage.width - width - theme.gap * 4 - stage.panelWidth) / 2)
                               : (stage.width - width) / 2
            x: placedX; y: 0
            Behavior on x { enabled: stage.side; NumberAnimation { duration: 300; easing.type: Easing.OutCubic } }
            width: stage.side ? Math.min(stage.artWidth, theme.px(154) * k + theme.gap) : stage.width
            height: stage.artHeight
            // The reader and the card at their real size (an ID card is 85.6 x 54 mm, drawn 106 x 67 mm with the
            // reader) where the page is tall enough; scaled down to fit where it is short (15.6" landscape), so the
            // illustration is never cut. Its labels keep their sizes, and go where the drawing is too small for them.
            readonly property real natural: theme.px(49.5) + theme.px(67) * 0.95
            readonly property real k: Math.max(0.1, Math.min(1, (stage.artHeight - theme.gap * 2) / natural,
                                                            (stage.artWidth - theme.gap) / theme.px(154)))
            Rectangle {
                id: reader
                objectName: "identify.reader"
                anchors { horizontalCenter: parent.horizontalCenter; bottom: parent.bottom
                          bottomMargin: Math.min(theme.gap * 4, Math.max(0, art.height - art.natural * art.k)) }
                width: theme.px(154) * art.k; height: theme.px(49.5) * art.k; radius: theme.px(6) * art.k
                color: "#2b3a4f"
                // lit while it reads, as a real reader's lamp
                border { color: theme.ok; width: root.reading ? Math.max(2, theme.px(1.2)) : 0 }
                // in the strip the card lying on the reader leaves uncovered
                readonly property real uncovered: reader.height - (card.restY + card.height - reader.y)
                Text { id: readerLabel
                       anchors { horizontalCenter: parent.horizontalCenter; bottom: parent.bottom
                                 bottomMargin: (reader.uncovered - height) / 2 }
                       visible: reader.uncovered >= height * 1.1 && reader.width >= width * 1.2
                       text: qsTr("身份证感应区"); color: "#cfd8e3"
                       font.family: theme.fontFamily; font.pixelSize: theme.fontSmall }
            }
            Rectangle {
                id: card
                objectName: "identify.card"
                // lying on the reader: its lower 40 % on it, the reader's label uncovered under it
                readonly property real restY: Math.max(0, reader.y - card.height * 0.6)
                property real dropY: restY
                width: theme.px(106) * art.k; height: theme.px(67) * art.k; radius: theme.px(5.5) * art.k
                anchors.horizontalCenter: parent.horizontalCenter
                y: root.reading ? restY : dropY  // still while it is read: no drop animation then
                gradient: Gradient {
                    GradientStop { position: 0; color: "#d9ecff" }
                    GradientStop { position: 1; color: "#9cc6f0" }
                }
                border.color: "#5b8fc7"; border.width: 3
                Text { anchors.centerIn: parent; visible: card.height >= height * 1.5 && card.width >= width * 1.2; text: qsTr("居民身份证"); font.family: theme.fontFamily; font.pixelSize: theme.fontLarge; color: "#1f4e85"; font.bold: true }
                SequentialAnimation on dropY {
                    running: !root.reading && root.visible
                    loops: Animation.Infinite
                    NumberAnimation { from: Math.max(0, reader.y - card.height - 160); to: card.restY
                                      duration: 1400; easing.type: Easing.InOutQuad }
                    PauseAnimation { duration: 900 }
                }
            }
        }
        Card {
            id: panel
            objectName: "identify.reading"
            // shown by opacity, not visibility: a hidden Column has no height, and the room kept for the panel
            // (the drawing's place) must be the same before a card and while it is read
            opacity: root.reading ? 1 : 0
            width: stage.panelWidth
            x: stage.side ? art.x + art.width + theme.gap * 4 : (stage.width - width) / 2
            y: stage.side ? Math.max(0, (stage.height - height) / 2) : stage.height - height
            padding: theme.gap * (stage.height < theme.px(100) ? 0.5 : 1)
            border.width: theme.elder ? 3 : 2
            border.color: theme.primary
            Column {
                width: parent.width
                spacing: theme.gap / 2
                ProgressDots { objectName: "identify.reading.progress"; anchors.horizontalCenter: parent.horizontalCenter
                               running: root.reading }
                Label { objectName: "identify.reading.text"; width: parent.width; horizontalAlignment: Text.AlignHCenter
                        text: qsTr("正在读取身份证信息，请稍候"); font.bold: true; lineHeight: 1.15
                        size: stage.height < theme.px(100) || root.short ? theme.font : theme.fontLarge }
                Label { objectName: "identify.reading.keep"; width: parent.width; horizontalAlignment: Text.AlignHCenter
                        text: qsTr("请不要移开身份证"); lineHeight: 1.15
                        size: stage.height < theme.px(100) || root.short ? theme.fontSmall : theme.font }
            }
        }
    }
    Card {
        objectName: "identify.help"
        visible: root.helpShown && !root.reading
        anchors { left: parent.left; right: parent.right; top: parent.top }
        Column {
            width: parent.width
            spacing: theme.px(2.5)
            Label { text: qsTr("读不出身份证？"); font.bold: true }
            Label { width: parent.width; text: qsTr("• 请把证件正面朝上、平放在感应区中央，放稳后不要移动") }
            Label { width: parent.width; text: qsTr("• 也可使用港澳台居民居住证、外国人永久居留身份证") }
            Label { width: parent.width; text: qsTr("• 证件损坏或过期的，请点下方按钮请工作人员协助") }
        }
    }
    actions: [
        // (gone while a card is read: the page takes no taps then, and a button that does nothing is a promise
        // broken; by opacity, so its row keeps its height and the page does not move)
        BigButton { objectName: "identify.trouble"; primary: false; implicitWidth: theme.buttonWide * 0.8
                    opacity: root.reading ? 0 : 1; enabled: !root.reading; visible: !root.makeRoom
                    text: root.helpShown ? qsTr("呼叫工作人员") : qsTr("读卡遇到问题")
                    onClicked: root.helpShown ? kiosk.callHelp() : root.helpShown = true }
    ]
}
