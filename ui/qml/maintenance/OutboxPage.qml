import QtQuick
import "../components"

// Applications that wait to be sent (or were refused): what, since when, why; retry one now.
Flickable {
    objectName: "maint.outbox"
    contentHeight: col.implicitHeight + theme.gap
    clip: true
    readonly property bool zh: kiosk.lang === "zh_CN"
    Column {
        id: col
        width: parent.width
        spacing: theme.gap
        Row {
            spacing: theme.gap
            Label { anchors.verticalCenter: parent.verticalCenter; font.bold: true
                    text: qsTr("待提交 %1 件").arg(maint.outbox.length) }
            SmallButton { objectName: "maint.outbox.refresh"; text: qsTr("刷新"); onClicked: maint.refreshOutbox() }
        }
        Label { visible: maint.outbox.length === 0; muted: true; text: qsTr("没有等待提交的申请") }
        Repeater {
            model: maint.outbox
            Card {
                width: col.width
                Column {
                    width: parent.width
                    spacing: 8
                    Row {
                        spacing: theme.gap
                        Label { text: modelData.local_number; font.bold: true; size: theme.fontSmall + 2 }
                        Tag { text: modelData.state.toUpperCase(); fill: modelData.state === "rejected" ? theme.error : theme.warn }
                    }
                    Label { width: parent.width; size: theme.fontSmall; muted: true
                            text: qsTr("事项 %1 · 已等待 %2 分钟 · 已尝试 %3 次").arg(modelData.item_code).arg(modelData.age_min).arg(modelData.attempts) }
                    Label { width: parent.width; size: theme.fontSmall; wrapMode: Text.WrapAnywhere
                            visible: modelData.why !== ""; text: qsTr("原因：%1").arg(modelData.why) }
                    SmallButton { objectName: "maint.outbox.retry." + index; text: qsTr("立即重试"); onClicked: maint.retry(modelData.id) }
                }
            }
        }
    }
}
