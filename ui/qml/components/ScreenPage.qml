import QtQuick

// A screen: step bar, title, prompt, content, and a bottom row of actions.
Item {
    id: root
    property string title: ""
    property string prompt: ""
    property bool showSteps: true
    // Said under the busy spinner while the kiosk works for this screen ("" = the spinner alone; Main.qml)
    property string busyText: ""
    // True where the screen draws its own busy state (identify: the card lying on the reader, a progress
    // panel): the window's overlay then only holds taps, without its veil, spinner and text (Main.qml).
    property bool busyInPage: false
    default property alias content: body.data
    property alias actions: actionRow.data
    // While the keyboard is up, room is short (landscape especially): the step bar and the heading give
    // way so the field being edited and the actions stay visible.
    readonly property bool typing: Qt.inputMethod.visible
    // A short page (a small landscape screen in elder mode: 194 mm of glass) sets its heading smaller, so the
    // content keeps room; still at least the theme's smallest legible size.
    // A 15.6" portrait page in elder mode (English: two rows of header buttons and a title of two lines over
    // it) is short too: about 240 mm, where a 100 mm title and a four-line prompt left materials no room.
    readonly property bool short: height < theme.px(theme.elder ? (theme.landscape ? 170 : 280) : 120)
    // On a landscape screen the keyboard takes half the height (more for the elder number pad): the actions
    // move beside the content instead of below it, so the field being typed in keeps the room left.
    // (Not when the elder number pad stands beside the page: the page is narrow then, and has the height.)
    readonly property bool sideActions: typing && theme.landscape && !win.padBeside
    // A screen may ask for its heading and actions in a column beside the content on a landscape page (the
    // title, a two-line prompt and the actions over and under the content left a 15.6" elder form 30 mm of
    // height): the content then has the page's whole height (issue 17, Deliver 1). Not while typing: then
    // the heading gives way and the actions stand beside the field (sideActions).
    property bool headingBeside: false
    readonly property bool besideLayout: headingBeside && theme.landscape && !root.typing
    // the side column's share of the width (a screen with only a title and a prompt there needs less) ...
    property real sideShare: theme.elder ? 0.42 : 0.34
    // ... widened up to sideShareMax so that the title and the prompt each keep to one line when that is enough
    // (at 0.3 a 21.5" elder catalogue broke 请选择办理事项 before its last character, and the prompt too)
    property real sideShareMax: sideShare
    readonly property int titleSize: root.short ? (root.besideLayout ? theme.font : theme.fontLarge) : theme.fontTitle
    readonly property int promptSize: root.short ? theme.fontSmall : theme.font
    TextMetrics { id: titleMetrics; font.family: theme.fontFamily; font.pixelSize: root.titleSize; font.bold: true
                  text: root.title }
    TextMetrics { id: promptMetrics; font.family: theme.fontFamily; font.pixelSize: root.promptSize; text: root.prompt }
    // (a text that would not fit on one line even then wraps, and asks for no more width)
    readonly property real sideNeeded: {
        const pad = 2 * (root.short ? theme.gap : theme.gap * 1.5) + 2
        const most = root.width * sideShareMax
        return Math.max(...[titleMetrics.advanceWidth + pad, promptMetrics.advanceWidth + pad].filter(w => w <= most), 0)
    }
    readonly property real sideWidth: Math.round(Math.max(root.width * sideShare, sideNeeded))

    StepBar {
        id: bar
        // (a short page gives its room to the content: the heading names the step)
        visible: root.showSteps && kiosk.steps.length > 0 && !root.typing && !root.short && !root.besideLayout
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: theme.gap }
    }
    // A screen may drop its heading when what it must show leaves no room for it (the home screen on a short
    // page with the offline notice or a device alert above its tiles)
    property bool headingShown: true
    // A screen whose heading is what it has to say (the result: 申请已保存) keeps it beside the content over the
    // notice bar too, where a form gives it up (headingBeside, short page)
    property bool headingOverNotice: false
    Column {
        id: heading
        // (beside the content on a short page the notice bar takes the heading's room: a 15.6" landscape elder
        // form's prompt ran under 下一步; not elsewhere: the heading names what to do, e.g. the material to lay)
        visible: !root.typing && root.headingShown
                 && !(root.short && root.besideLayout && noticeBar.visible && !root.headingOverNotice)
        height: visible ? implicitHeight : 0
        width: (root.besideLayout ? root.sideWidth : root.width) - 2 * anchors.leftMargin
        anchors { left: parent.left; top: bar.visible ? bar.bottom : parent.top
                  margins: root.short ? theme.gap : theme.gap * 1.5
                  topMargin: visible ? (root.short ? theme.gap : theme.gap * 1.5) : 0 }
        spacing: theme.gap / 2
        // (beside the content on a short page, the title is bold body size: the prompt under it stays above the actions)
        Label { objectName: "page.title"; width: parent.width; text: root.title
                size: root.titleSize
                font.bold: true; visible: text !== ""; lineHeight: root.short ? 1.0 : 1.3 }
        Label { objectName: "page.prompt"; width: parent.width; text: root.prompt; muted: true; visible: text !== ""
                size: root.promptSize; lineHeight: root.short ? 1.1 : 1.3 }
    }
    // Under the heading, when it stands beside the content: where a screen may move a control of its own (the
    // catalogue's search field), so that the content keeps the page's whole height (besideLayout only).
    readonly property Item besideSlot: slot
    readonly property Item bodyArea: body  // where the content is, for a control placed by hand (see above)
    Item {
        id: slot
        visible: root.besideLayout && heading.visible
        x: heading.x
        y: heading.y + heading.height + theme.gap
        width: heading.width
    }
    Item {
        id: body
        clip: true
        anchors { left: root.besideLayout ? heading.right : parent.left
                  right: root.sideActions ? actionRow.left : parent.right
                  top: root.besideLayout ? parent.top : heading.bottom
                  // a screen without actions (the catalogue, home) gives their row's room to its content
                  bottom: root.sideActions || root.besideLayout || actionRow.children.length === 0 ? parent.bottom
                                                                                                   : actionRow.top
                  leftMargin: theme.gap * 1.5; rightMargin: theme.gap * 1.5
                  topMargin: root.typing ? theme.gap / 2 : theme.gap; bottomMargin: root.typing ? theme.gap / 2 : theme.gap }
    }
    // Beside the content (besideLayout) two actions stand one over the other, each the side column's width: side
    // by side, each had a third of the column and an elder English label ("Finish capturing") ran past it.
    // (a screen whose pair must stay side by side, as the face check's 同意 / 不同意, says so)
    property bool stackActionsBeside: true
    readonly property bool actionsStacked: root.besideLayout && root.stackActionsBeside
                                           && actionRow.visibleChildren.length > 1
    Grid {
        id: actionRow
        // Placed by x/y, not anchors: anchors switched on and off leave the row where it was.
        x: root.sideActions ? root.width - width - theme.gap * 1.5
                            : root.besideLayout ? (root.sideWidth - width) / 2 : (root.width - width) / 2
        y: root.sideActions ? heading.y + heading.height + theme.gap / 2
                            : root.height - height - (root.typing ? theme.gap / 2 : theme.gap * 2)
        columns: root.actionsStacked ? 1 : Math.max(1, children.length)
        spacing: root.actionsStacked ? theme.gap / 2 : theme.gap * 2
        // Two or three actions share the width when their full width does not fit (a small screen in elder
        // mode): BigButton takes the smaller of its own width and this share.
        readonly property real shareWidth: root.actionsStacked ? root.sideWidth - 2 * theme.gap
                                           : ((root.besideLayout ? root.sideWidth : root.width) - 2 * theme.gap
                                              - (visibleChildren.length - 1) * spacing)
                                             / Math.max(1, visibleChildren.length)
    }
}
