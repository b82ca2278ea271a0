import QtQuick
import "../components"

ScreenPage {
    // Landscape elder: title, prompt and 返回首页 beside the rating, which gets the page's height (stacked, a 15.6"
    // English screen showed 30 mm of it)
    headingBeside: theme.elder
    id: page
    objectName: "end.page"
    showSteps: false
    title: qsTr("感谢使用")
    // Only what this journey used: a bill reads no card and prints a slip; not every item has materials.
    readonly property var takes: ({
        "card_receipt_pages": qsTr("请取走您的身份证、回执和高拍仪下的材料。离开本页时，本次填写的信息将从本机清除。"),
        "card_receipt": qsTr("请取走您的身份证和回执。离开本页时，本次填写的信息将从本机清除。"),
        "receipt_pages": qsTr("请取走您的回执和高拍仪下的材料。离开本页时，本次填写的信息将从本机清除。"),
        "receipt": qsTr("请取走您的回执。离开本页时，本次填写的信息将从本机清除。"),
        "card_slip": qsTr("请取走您的身份证和缴费凭条。离开本页时，本次填写的信息将从本机清除。"),
        "slip": qsTr("请取走您的缴费凭条。离开本页时，本次填写的信息将从本机清除。")
    })
    prompt: takes[kiosk.outcome.take || "card_receipt_pages"]
    readonly property int autoSeconds: kiosk.autoMove.kind === "home" ? (kiosk.autoMove.seconds || 0) : -1
    // 返回首页 tapped while the citizen's page is printing (kiosk/journey/steps/a4_leave.py): the screen waits
    // for it, without a countdown or a button, and goes home by itself once printing ends.
    readonly property bool waitingForPage: kiosk.outcome.leaving === "printing"
    // 好差评 (国办发〔2019〕51号): one optional tap; nothing has to be tapped to finish.
    readonly property bool rating: kiosk.outcome.canRate === true || (kiosk.outcome.rating || "") !== ""
    // The rating scrolls (with the "more below" cue) where a short page cannot show all five levels.
    ScrollColumn {
        id: scroll
        objectName: "end.scroll"
        anchors.fill: parent
        spacing: theme.gap
        // A 秒批 approval's result document still coming out of the A4 printer when 完成 was tapped on the
        // receipt screen: the goodbye says so (wait, then take it from the A4 tray), as the receipt screen did.
        // First in the column: in view above the rating, which scrolls where there is no room for both.
        Column {
            id: leaving
            objectName: "end.leaving"
            visible: page.waitingForPage
            width: scroll.width
            spacing: theme.gap / 2
            Label {
                objectName: "end.leaving.text"
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
                font.bold: true
                size: theme.fontLarge
                color: theme.primary
                text: qsTr("正在打印，请取走您的文书")
            }
            Label {
                objectName: "end.leaving.then"
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
                text: qsTr("打印结束后将自动返回首页")
            }
        }
        ResultLine {
            id: resultLine
            objectName: "end.result"
            width: scroll.width
            result: kiosk.outcome.result || ({})
        }
        Column {
            id: rate
            objectName: "end.rating"
            visible: page.rating
            width: scroll.width
            spacing: theme.gap / 2
            Label {
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                font.bold: true
                text: kiosk.outcome.ratingState === "sending" ? qsTr("正在提交评价…")
                      : (kiosk.outcome.rating ? "" : qsTr("请为本次服务评价（可不评价）"))
                visible: text !== ""
            }
            Flow {
                id: levels
                width: parent.width
                spacing: theme.gap / 2
                readonly property var options: [
                    {"value": "very_satisfied", "text": qsTr("非常满意")},
                    {"value": "satisfied", "text": qsTr("满意")},
                    {"value": "basic", "text": qsTr("基本满意")},
                    {"value": "unsatisfied", "text": qsTr("不满意")},
                    {"value": "very_unsatisfied", "text": qsTr("非常不满意")}
                ]
                // As many per row as fit (portrait: 3 + 2; landscape: 5), each wide enough for "Dissatisfied" in one line.
                readonly property int perRow: Math.max(1, Math.min(5, Math.floor((width + spacing) / (theme.buttonWide * 0.6 + spacing))))
                Repeater {
                    model: levels.options
                    BigButton {
                        objectName: "end.rate." + modelData.value
                        implicitWidth: (levels.width - levels.spacing * (levels.perRow - 1)) / levels.perRow
                        primary: kiosk.outcome.rating === modelData.value
                        enabledState: kiosk.outcome.canRate === true || kiosk.outcome.rating === modelData.value
                        text: modelData.text
                        onClicked: if (kiosk.outcome.canRate) kiosk.rate(modelData.value)
                    }
                }
            }
        }
        Text {
            // Decoration only, in the room the rating leaves; where there is none it goes rather than being cut.
            width: parent.width
            height: Math.max(0, scroll.height - (page.rating ? rate.height + theme.gap : 0)
                                - (resultLine.visible ? resultLine.height + theme.gap : 0)
                                - (leaving.visible ? leaving.height + theme.gap : 0))
            visible: height >= theme.fontLarge * 1.4
            horizontalAlignment: Text.AlignHCenter
            verticalAlignment: Text.AlignVCenter
            fontSizeMode: Text.Fit  // a long prompt (elder, English, landscape) leaves less room
            minimumPixelSize: theme.fontLarge
            text: "☺"
            font.pixelSize: theme.px(65)
            color: theme.primary
        }
    }
    actions: [
        BigButton { objectName: "end.home"; onClicked: kiosk.finish(); visible: !page.waitingForPage
                    text: page.autoSeconds >= 0 ? qsTr("返回首页（%1 秒）").arg(page.autoSeconds) : qsTr("返回首页") }
    ]
}
