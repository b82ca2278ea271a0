import QtQuick
import "../components"

ScreenPage {
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
                    width: parent.width
                    columns: 2
                    rowSpacing: theme.px(3)
                    columnSpacing: theme.gap
                    Label { text: qsTr("办理事项"); muted: true }
                    Label { width: parent.width * 0.62; text: r.item || ""; font.bold: true }
                    Repeater {
                        model: (r.rows || []).length * 2
                        Label {
                            readonly property var row: r.rows[Math.floor(index / 2)]
                            width: index % 2 ? col.width * 0.6 : implicitWidth
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
                    columns: 2; rowSpacing: theme.px(3); columnSpacing: theme.gap
                    Label { text: qsTr("签名"); muted: true }
                    Label { text: r.signed ? qsTr("已签名") : qsTr("无需签名") }
                    Label { text: qsTr("送达方式"); muted: true }
                    Label { text: r.delivery || "" }
                    // Express: the whole address as it will be sent (the receipt masks it).
                    Label { visible: !!(r.address && r.address.address); text: qsTr("收件人"); muted: true }
                    Label { visible: !!(r.address && r.address.address); objectName: "review.recipient"
                            text: r.address ? (r.address.recipient || "") + "  " + (r.address.phone || "") : "" }
                    Label { visible: !!(r.address && r.address.address); text: qsTr("收件地址"); muted: true }
                    Label { visible: !!(r.address && r.address.address); objectName: "review.address"
                            width: col.width * 0.6; wrapMode: Text.WordWrap; text: r.address ? (r.address.address || "") : "" }
                    Label { text: qsTr("费用"); muted: true }
                    Label { text: r.fee || "" }
                }
            }
        }
    }
    actions: [
        BigButton { objectName: "review.confirm"; text: qsTr("确认提交"); onClicked: kiosk.confirm() }
    ]
}
