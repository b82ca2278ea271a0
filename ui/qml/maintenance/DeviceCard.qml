import QtQuick
import "../components"

// One device: state, address, the fault with its code and remedy, supplies and counters, test and set-up.
Card {
    id: card
    property var d: ({})
    readonly property bool zh: kiosk.lang === "zh_CN"
    readonly property var test: maint.tests[d.name] || null
    readonly property var bed: maint.bed
    readonly property var bedResult: maint.bedResult
    function stateText(s) {
        if (!s) return ""
        var t = { idle: qsTr("正常"), busy: qsTr("工作中"), offline: qsTr("离线"), error: qsTr("故障"),
                  starting: qsTr("启动中"), closed: qsTr("已停止"), not_configured: qsTr("未配置") }
        return (t[s] || s) + " · " + s.toUpperCase()
    }
    function stateColor(s) {
        return s === "idle" || s === "busy" ? theme.ok : (s === "starting" ? theme.warn : theme.error)
    }
    function pairs(obj) {
        var out = []
        for (var k in obj) out.push(k + " " + obj[k])
        return out.join("   ")
    }
    Column {
        width: parent.width
        spacing: 10
        Row {
            spacing: theme.gap
            Label { text: (card.zh ? card.d.label_zh : card.d.label_en) || ""; size: theme.fontLarge * 0.8; font.bold: true }
            Tag {
                objectName: "maint.device." + card.d.name + ".state"
                anchors.verticalCenter: parent.verticalCenter
                text: card.stateText(card.d.state)
                fill: card.stateColor(card.d.state)
            }
        }
        Label {
            objectName: "maint.device." + card.d.name + ".url"
            width: parent.width; muted: true; size: theme.fontSmall
            text: card.d.url ? qsTr("地址 %1").arg(card.d.url) : qsTr("地址未设置")
            wrapMode: Text.WrapAnywhere
        }
        Label {
            objectName: "maint.device." + card.d.name + ".code"
            visible: card.d.code > 0
            width: parent.width; color: theme.error; font.bold: true; size: theme.fontSmall + 2
            text: qsTr("代码 %1：%2").arg(card.d.code).arg(card.zh ? card.d.error_zh : card.d.error_en)
        }
        Label {
            objectName: "maint.device." + card.d.name + ".remedy"
            visible: card.d.code > 0
            width: parent.width; size: theme.fontSmall
            text: qsTr("处理方法：%1").arg(card.d.remedy)
        }
        Label {
            visible: card.d.code > 0 && card.d.detail !== ""
            width: parent.width; muted: true; size: theme.fontSmall * 0.85
            text: card.d.detail || ""; wrapMode: Text.WrapAnywhere
        }
        Label {
            visible: !!card.d.alert_zh
            width: parent.width; color: theme.warn; font.bold: true; size: theme.fontSmall
            text: (card.zh ? card.d.alert_zh : card.d.alert_en) || ""
        }
        Label {
            visible: Object.keys(card.d.supplies || {}).length > 0 || Object.keys(card.d.counters || {}).length > 0
            width: parent.width; muted: true; size: theme.fontSmall * 0.9
            text: qsTr("耗材 %1").arg(card.pairs(card.d.supplies || {}) || "-") + "    "
                  + qsTr("计数 %1").arg(card.pairs(card.d.counters || {}) || "-")
        }
        Label {
            objectName: "maint.device." + card.d.name + ".result"
            visible: card.test !== null
            width: parent.width; size: theme.fontSmall + 2; font.bold: true
            color: card.test && card.test.running ? theme.primary : (card.test && card.test.ok ? theme.ok : theme.error)
            text: card.test ? (card.zh ? card.test.zh : card.test.en) : ""
        }
        Row {
            spacing: theme.gap / 2
            SmallButton {
                objectName: "maint.device." + card.d.name + ".test"
                text: card.d.name === "idcard" ? qsTr("测试读卡") : card.d.name === "printer" ? qsTr("打印测试单")
                      : card.d.name === "barcode" ? qsTr("测试扫码") : card.d.name === "a4" ? qsTr("打印A4测试页")
                      : qsTr("测试拍摄")
                enabledState: card.d.state !== "not_configured" && !(card.test && card.test.running)
                onClicked: maint.testDevice(card.d.name)
            }
            SmallButton {
                objectName: "maint.device." + card.d.name + ".edit"
                text: qsTr("设置地址")
                onClicked: maint.edit(card.d.name)
            }
        }
        // The document camera only: its empty bed, learned so that a pale table in view is not taken for a page.
        Column {
            visible: card.d.name === "camera"
            width: parent.width
            spacing: 10
            Label {
                objectName: "maint.device.camera.bed"
                width: parent.width; size: theme.fontSmall + 2; wrapMode: Text.Wrap
                text: card.bed.learned
                      ? qsTr("空台面：已学习（%1，%2×%3）").arg(card.bed.when).arg(card.bed.width).arg(card.bed.height)
                      : card.bed.damaged ? qsTr("空台面：未学习（文件已损坏，请重新学习）") : qsTr("空台面：未学习")
            }
            Label {  // the runtime's own looks at the empty bed no longer match it (kiosk/capture/bed_watch.py)
                objectName: "maint.device.camera.bedStale"
                visible: !!card.bed.learned && !!card.bed.stale
                width: parent.width; size: theme.fontSmall + 2; wrapMode: Text.Wrap; color: theme.warn
                text: qsTr("代码 %1：最近%2位市民使用时，高拍仪一次也没有看到学习的空台面；高拍仪或台面可能移动过，请清空台面后重新学习")
                      .arg(2163).arg(card.bed.mismatches || 0)
            }
            Label {
                objectName: "maint.device.camera.bedResult"
                visible: !!card.bedResult.zh
                width: parent.width; size: theme.fontSmall + 2; font.bold: true; wrapMode: Text.Wrap
                color: card.bedResult.running ? theme.primary : (card.bedResult.ok ? theme.ok : theme.error)
                text: !card.bedResult.zh ? ""
                      : card.bedResult.code > 0
                        ? qsTr("代码 %1：%2").arg(card.bedResult.code).arg(card.zh ? card.bedResult.zh : card.bedResult.en)
                        : (card.zh ? card.bedResult.zh : card.bedResult.en)
            }
            Flow {
                width: parent.width
                spacing: theme.gap / 2
                SmallButton {
                    objectName: "maint.device.camera.learnBed"
                    text: qsTr("学习空台面")
                    enabledState: card.d.state !== "not_configured" && !card.bedResult.running
                    onClicked: maint.learnBed()
                }
                SmallButton {
                    objectName: "maint.device.camera.forgetBed"
                    visible: !!card.bed.learned
                    text: qsTr("清除空台面")
                    enabledState: !card.bedResult.running
                    onClicked: maint.forgetBed()
                }
            }
        }
    }
}
