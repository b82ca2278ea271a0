import QtQuick
import "../components"

ScreenPage {
    // Landscape: title, prompt and 确认提交 beside what is reviewed, which gets the page's height (stacked, a
    // 21.5" screen showed three of its rows)
    headingBeside: true   // (standard landscape too: a 15.6" screen showed 37 mm of it)
    sideShareMax: 0.4     // the title on one line where that is enough (请确认申请信/息 broke on 15.6")
    title: qsTr("请确认申请信息")
    prompt: qsTr("确认无误后点击“确认提交”")
    readonly property var r: kiosk.review
    Flickable {
        anchors.fill: parent
        contentHeight: col.implicitHeight
        clip: true
        Column {
            id: col
            width: parent.width
            spacing: theme.gap
            Card {
                width: parent.width
                Grid {
                    id: rows
                    width: parent.width
                    columns: 2
                    rowSpacing: theme.px(3)
                    columnSpacing: theme.gap
                    // Two columns that share the card: a label wraps within its share, a value takes the rest.
                    // (A value 0.6 of the page wide beside a label as wide as it liked ran past the card in a
                    // narrow column: 15.6" landscape elder English, the heading beside.)
                    readonly property real labelWidth: Math.round(width * 0.36)
                    readonly property real valueWidth: width - labelWidth - columnSpacing
                    Label { width: rows.labelWidth; text: qsTr("办理事项"); muted: true }
                    Label { objectName: "review.item"; width: rows.valueWidth; text: r.item || ""; font.bold: true }
                    Repeater {
                        model: (r.rows || []).length * 2
                        Label {
                            readonly property var row: r.rows[Math.floor(index / 2)]
                            objectName: index % 2 ? "review.value." + Math.floor(index / 2) : ""
                            width: index % 2 ? rows.valueWidth : rows.labelWidth
                            muted: index % 2 === 0
                            text: index % 2 ? (row.value || "—") : row.label
                            // a long code (an 18-character credit code, a bank card) wraps instead of running
                            // past the card (15.6" portrait elder sweep)
                            wrapMode: Text.WrapAtWordBoundaryOrAnywhere
                        }
                    }
                }
            }
            Card {
                width: parent.width
                Column {
                    width: parent.width
                    spacing: theme.px(2.5)
                    Label { text: qsTr("材料"); font.bold: true }
                    Repeater {
                        model: r.materials || []
                        Label { width: parent.width
                                text: "• " + qsTr("%1：%2").arg(modelData.name)  // a half-width colon in English
                                      .arg(modelData.pages === 1 ? qsTr("1 页") : (modelData.pages > 0 ? qsTr("%1 页").arg(modelData.pages) : modelData.sourceText)) }
                    }
                }
            }
            Card {
                width: parent.width
                Grid {
                    id: closing
                    width: parent.width
                    columns: 2; rowSpacing: theme.px(3); columnSpacing: theme.gap
                    readonly property real labelWidth: rows.labelWidth
                    readonly property real valueWidth: width - labelWidth - columnSpacing
                    Label { width: closing.labelWidth; text: qsTr("签名"); muted: true }
                    Label { width: closing.valueWidth; text: r.signed ? qsTr("已签名") : qsTr("无需签名") }
                    Label { width: closing.labelWidth; text: qsTr("送达方式"); muted: true }
                    Label { objectName: "review.delivery"; width: closing.valueWidth; text: r.delivery || "" }
                    // Express: the whole address as it will be sent (the receipt masks it).
                    Label { visible: !!(r.address && r.address.address); width: closing.labelWidth; text: qsTr("收件人")
                            muted: true }
                    Label { visible: !!(r.address && r.address.address); objectName: "review.recipient"
                            width: closing.valueWidth; wrapMode: Text.WrapAtWordBoundaryOrAnywhere
                            text: r.address ? (r.address.recipient || "") + "  " + (r.address.phone || "") : "" }
                    Label { visible: !!(r.address && r.address.address); width: closing.labelWidth; text: qsTr("收件地址")
                            muted: true }
                    Label { visible: !!(r.address && r.address.address); objectName: "review.address"
                            width: closing.valueWidth; wrapMode: Text.WrapAtWordBoundaryOrAnywhere
                            text: r.address ? (r.address.address || "") : "" }
                    Label { width: closing.labelWidth; text: qsTr("费用"); muted: true }
                    Label { objectName: "review.fee"; width: closing.valueWidth; text: r.fee || "" }
                }
            }
        }
    }
    actions: [
        BigButton { objectName: "review.confirm"; text: qsTr("确认提交"); onClicked: kiosk.confirm() }
    ]
}
