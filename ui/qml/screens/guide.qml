import QtQuick
import "../components"

ScreenPage {
    // Landscape: title, prompt and 开始办理 beside the guide, which gets the page's height (stacked, a 21.5"
    // screen showed the offline notice and the guide's first line only)
    headingBeside: true   // (standard landscape too: a 15.6" screen showed 37 mm of it)
    sideShareMax: 0.4     // the title on one line where that is enough (请确认申请信/息 broke on 15.6")
    readonly property bool bill: kiosk.guide.kind === "bill_payment"  // paid, not applied for: its own words
    title: bill ? qsTr("缴费须知") : qsTr("办事指南")
    prompt: kiosk.guide.available === false ? qsTr("网络恢复后才能办理本事项，可先阅读须知")  // offline: no 开始办理 to press
          : bill ? qsTr("请阅读后点击“开始缴费”") : qsTr("请阅读后点击“开始办理”")
    Flickable {
        anchors.fill: parent
        contentHeight: col.implicitHeight
        clip: true
        Column {
            id: col
            width: parent.width
            spacing: theme.gap
            Rectangle {  // offline: whether this item can be done now, before any work (kiosk.platform.needs)
                objectName: "guide.offline"
                readonly property string said: kiosk.guide.available === false ? (kiosk.guide.blockedNotice || "")
                                                                               : (kiosk.guide.offlineNote || "")
                visible: said !== ""
                width: parent.width
                height: visible ? offlineText.implicitHeight + theme.gap : 0
                radius: 12
                color: kiosk.guide.available === false ? "#fff4e0" : "#e8f0fb"
                border.color: kiosk.guide.available === false ? theme.warn : theme.primary
                border.width: 2
                Text {
                    id: offlineText
                    objectName: "guide.offline.text"
                    anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: theme.gap / 2 }
                    text: parent.said
                    wrapMode: Text.WordWrap
                    font.family: theme.fontFamily
                    font.pixelSize: theme.fontSmall
                    color: kiosk.guide.available === false ? theme.warn : theme.text
                }
            }
            Card {
                width: parent.width
                Column {
                    width: parent.width
                    spacing: theme.px(2.5)
                    Label { width: parent.width; text: kiosk.guide.name || ""; size: theme.fontLarge; font.bold: true }
                    Label { width: parent.width; text: (bill ? qsTr("收费单位：%1") : qsTr("实施机关：%1")).arg(kiosk.guide.agency || ""); muted: true }
                    Row {
                        spacing: theme.gap
                        Tag { text: qsTr("不见面办理"); fill: theme.primary }
                        Tag { visible: kiosk.guide.instant === true; text: qsTr("秒批"); fill: theme.ok }
                    }
                }
            }
            Card {
                width: parent.width
                Column {
                    width: parent.width
                    spacing: theme.px(2.5)
                    Label { text: bill ? qsTr("缴费说明") : qsTr("办理条件"); font.bold: true }
                    Repeater {
                        model: kiosk.guide.conditions || []
                        Label { width: parent.width; text: "• " + modelData }
                    }
                }
            }
            Card {
                visible: !bill
                width: parent.width
                Column {
                    width: parent.width
                    spacing: theme.px(2.5)
                    Label { text: qsTr("所需材料"); font.bold: true }
                    Repeater {
                        model: kiosk.guide.materials || []
                        Item {
                            id: mRow
                            width: parent.width
                            // A long tag (elder English on a portrait screen) goes under the name, not beside it.
                            readonly property bool stacked: mTag.width > width * 0.4
                            height: stacked ? mName.implicitHeight + theme.px(1.5) + mTag.height
                                            : Math.max(mName.implicitHeight, mTag.height)
                            Label { id: mName; width: mRow.stacked ? parent.width : parent.width - mTag.width - theme.gap; text: "• " + modelData.name + (modelData.required ? "" : qsTr("（非必需）")) }
                            Tag { id: mTag; anchors.right: parent.right; y: mRow.stacked ? mName.implicitHeight + theme.px(1.5) : 0
                                  text: modelData.sourceText; fill: modelData.source === "applicant" ? theme.warn : theme.ok }
                        }
                    }
                }
            }
            Card {
                width: parent.width
                Grid {
                    width: parent.width
                    columns: 2
                    rowSpacing: theme.px(2.5)
                    columnSpacing: theme.gap
                    Label { text: bill ? qsTr("到账时间") : qsTr("办理时限"); muted: true }
                    Label { text: bill ? qsTr("即时到账") : kiosk.guide.timeLimit || "" }
                    Label { text: qsTr("收费"); muted: true }
                    Label { text: kiosk.guide.fee || "" }
                    Label { visible: !bill; text: qsTr("到现场次数"); muted: true }
                    Label { visible: !bill; text: qsTr("%1 次").arg(kiosk.guide.visits || 0) }
                    Label { visible: !bill; text: qsTr("送达方式"); muted: true }
                    Label { objectName: "guide.delivery"; visible: !bill; width: parent.width * 0.6; text: (kiosk.guide.delivery || []).join("、") }
                    Label { visible: bill; text: qsTr("缴费结果"); muted: true }
                    Label { visible: bill; text: qsTr("打印缴费凭条") }
                }
            }
        }
    }
    actions: [
        BigButton { objectName: "guide.start"; text: bill ? qsTr("开始缴费") : qsTr("开始办理"); onClicked: kiosk.startItem()
                    // offline and the item needs the platform: greyed out, the reason said above
                    enabled: kiosk.guide.available !== false; enabledState: enabled
                    subtext: enabled ? "" : qsTr("网络恢复后可办理") }
    ]
}
