import QtQuick
import "../components"

// Platform link, catalog and software, alerts, the log, and restarting the app.
Flickable {
    id: page
    objectName: "maint.system"
    contentHeight: col.implicitHeight + theme.gap
    clip: true
    property bool confirmRestart: false
    onVisibleChanged: confirmRestart = false
    readonly property bool zh: kiosk.lang === "zh_CN"
    Column {
        id: col
        width: parent.width
        spacing: theme.gap
        Card {
            width: col.width
            Column {
                width: parent.width
                spacing: 8
                Label { text: qsTr("政务平台连接"); font.bold: true }
                Label { objectName: "maint.platform.status"; width: parent.width; size: theme.fontSmall; wrapMode: Text.WrapAnywhere
                        color: maint.platform.ok ? theme.ok : (maint.platform.error ? theme.error : theme.textMuted)
                        text: maint.platform.checking ? qsTr("正在检测…")
                              : maint.platform.ok ? qsTr("已连接 %1（%2 毫秒）").arg(maint.platform.url).arg(maint.platform.latency_ms)
                              : maint.platform.error ? qsTr("无法连接：%1").arg(maint.platform.error) : qsTr("尚未检测") }
                SmallButton { objectName: "maint.platform.check"; text: qsTr("检测连接"); onClicked: maint.checkPlatform() }
            }
        }
        Card {
            width: col.width
            Column {
                width: parent.width
                spacing: 8
                Label { text: qsTr("版本"); font.bold: true }
                Label { size: theme.fontSmall; text: qsTr("事项目录版本 %1").arg(maint.catalogVersion) }
                Label { size: theme.fontSmall; text: qsTr("终端编号 %1").arg(maint.kioskId) }
                Label { size: theme.fontSmall; text: qsTr("软件版本 %1").arg(maint.softwareVersion) }
            }
        }
        Card {
            width: col.width
            Column {
                width: parent.width
                spacing: 8
                Label { text: qsTr("告警"); font.bold: true }
                Label { visible: maint.alerts.length === 0; muted: true; size: theme.fontSmall; text: qsTr("没有告警") }
                Repeater {
                    model: maint.alerts
                    Label { width: col.width - 2 * theme.gap; size: theme.fontSmall; font.bold: true
                            color: modelData.level === "critical" ? theme.error : theme.warn
                            text: (page.zh ? modelData.zh : modelData.en) + (modelData.code ? "  [" + modelData.code + "]" : "") }
                }
            }
        }
        Card {
            width: col.width
            Column {
                width: parent.width
                spacing: 8
                Row {
                    spacing: theme.gap
                    Label { anchors.verticalCenter: parent.verticalCenter; text: qsTr("运行日志"); font.bold: true }
                    SmallButton { objectName: "maint.log.refresh"; text: qsTr("刷新"); onClicked: maint.refreshLog() }
                }
                Text {
                    objectName: "maint.log"
                    width: parent.width
                    text: maint.logText || qsTr("日志为空")
                    wrapMode: Text.WrapAnywhere
                    font.family: "monospace"; font.pixelSize: 20; color: theme.text
                }
            }
        }
        Row {
            spacing: theme.gap
            SmallButton {
                objectName: "maint.restart"
                text: page.confirmRestart ? qsTr("再按一次确认重启") : qsTr("重启程序")
                primary: page.confirmRestart
                onClicked: page.confirmRestart ? maint.restart() : (page.confirmRestart = true)
            }
            SmallButton { objectName: "maint.leave2"; text: qsTr("返回服务"); onClicked: maint.leave() }
        }
    }
}
