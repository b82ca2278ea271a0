import QtQuick
import "../components"

ScreenPage {
    id: root
    // Landscape: title, prompt and the actions beside the outcome, which gets the page's height (stacked, a
    // 21.5" screen offline showed 30 px of the card holding the number the prompt tells the citizen to keep)
    headingBeside: true   // (standard landscape too: a 15.6" screen showed 37 mm of it)
    sideShareMax: 0.4     // the title on one line where that is enough (请确认申请信/息 broke on 15.6")
    headingOverNotice: true
    readonly property var o: kiosk.outcome
    readonly property bool approved: o.status === "approved"
    title: approved ? qsTr("审批通过") : (o.status === "queued" ? qsTr("申请已保存") : qsTr("申请已受理"))
    // Approved: say how the result comes, true to the delivery chosen (or the only one offered); a result
    // document on its way to this kiosk's A4 printer (issue 18) comes first (a fault: the receipt screen says
    // where else to get it, and the delivery's own sentence stands).
    readonly property string printing: (o.result || {}).state || "none"
    prompt: approved ? (printing === "fetching" || printing === "printing" || printing === "printed"
                          ? qsTr("系统已自动审核通过（秒批），结果文书正在本机打印，请从 A4 出纸口取走")
                        : o.delivery === "self_print" ? qsTr("系统已自动审核通过（秒批），结果文书可在任一自助终端的“我的办件”中打印")
                        : o.delivery === "pickup" ? qsTr("系统已自动审核通过（秒批），请凭回执到窗口领取结果")
                        : o.delivery === "express" ? qsTr("系统已自动审核通过（秒批），结果将免费邮寄到您填写的地址")
                        : qsTr("系统已自动审核通过（秒批），结果将按您选择的方式送达"))
                     : (o.status === "queued" ? qsTr("网络恢复后将自动提交；提交后可在“进度查询”刷身份证并输入本机编号查询")
                                              // An SMS is promised only when the platform said one will come
                                              : o.sms ? qsTr("工作人员将尽快审核，请留意短信通知")
                                                      : qsTr("工作人员将尽快审核，可扫描回执二维码或在“进度查询”查看进度"))
    // Portrait: one centred column. Landscape (short): the outcome on the left, the number on the right,
    // so the number the citizen must keep is never below the fold.
    // When even that is taller than the room (a small screen in elder mode) the page scrolls, with the cue.
    ScrollColumn {
        id: scroller
        anchors.fill: parent
    Item {
        width: scroller.width
        height: Math.max(scroller.height, outcome.height)
    Grid {
        id: outcome
        // (beside the heading the content is narrower: the outcome over the number, the number's 26 characters whole)
        readonly property bool twoColumns: win.landscape && !root.besideLayout
        // (beside the heading, which says the outcome, the mark and its line give way too: the number first)
        readonly property bool short: scroller.height < theme.px(theme.elder ? 120 : 90) || root.besideLayout
        columns: twoColumns ? 2 : 1
        anchors { left: parent.left; right: parent.right }
        y: Math.max(0, (parent.height - height) / 2)
        spacing: twoColumns ? theme.gap * 2 : theme.gap * 1.5
        readonly property real cell: twoColumns ? (width - spacing) / 2 : width
        Column {
        width: outcome.cell
        spacing: outcome.twoColumns ? theme.gap / 2 : theme.gap * 1.5
        Rectangle {
            // A short page (a small screen in elder mode) keeps the number in view: the heading already
            // says the outcome, so the mark and its line give way to it.
            visible: !outcome.short
            anchors.horizontalCenter: parent.horizontalCenter
            width: theme.px(win.landscape ? 27 : 55); height: width; radius: width / 2
            color: approved ? theme.ok : (o.status === "queued" ? theme.warn : theme.primary)
            Text { anchors.centerIn: parent; text: approved || o.status !== "queued" ? "✓" : "…"; color: "white"
                   font.pixelSize: parent.width * 0.64; font.bold: true; font.family: theme.fontFamily }
        }
        Label { visible: !outcome.short; width: parent.width; horizontalAlignment: Text.AlignHCenter; text: o.statusText || ""; size: theme.fontLarge; font.bold: true }
        }
        Card {
            width: outcome.cell
            Column {
                width: parent.width
                spacing: theme.px(3)
                Label { text: o.reference ? qsTr("受理编号") : qsTr("本机编号"); muted: true }
                // One line, shrunk to fit: an offline 本机编号 (26 characters) is wider than the card in elder mode
                Label { objectName: "result.number"; text: o.reference || o.localNumber || ""; size: theme.fontTitle; font.bold: true; font.letterSpacing: 2
                        width: parent.width; wrapMode: Text.NoWrap; fontSizeMode: Text.HorizontalFit; minimumPixelSize: theme.font }
                Repeater {
                    model: o.reasons || []
                    // a reason may hold a long unbreakable name ("education.years_since_graduation"): it wraps anywhere
                    Label { width: parent.width; text: "• " + modelData; color: theme.warn
                            wrapMode: Text.WrapAtWordBoundaryOrAnywhere }
                }
            }
        }
    }
    }
    }
    actions: [
        // The receipt prints by itself after a short countdown (issue 17): the button only makes it sooner.
        // The countdown in the button's one line: a second line would push the number below the fold.
        BigButton { objectName: "result.print"; onClicked: kiosk.proceed()
                    text: kiosk.autoMove.kind === "print" ? qsTr("打印回执（%1 秒）").arg(kiosk.autoMove.seconds || 0)
                                                          : qsTr("打印回执") }
    ]
}
