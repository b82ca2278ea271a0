import QtQuick
import QtQuick.Controls
import "../components"

// Choose a device's address: what discovery found, baud rate and options, or typed by hand; checked on save.
Item {
    id: ed
    function find(name) {
        for (var i = 0; i < maint.devices.length; i++)
            if (maint.devices[i].name === name) return maint.devices[i]
        return ({})
    }
    readonly property var dev: find(maint.editing)
    readonly property bool zh: kiosk.lang === "zh_CN"
    // Start from the device's present address each time the editor opens for a device.
    property string editing: maint.editing
    onEditingChanged: field.text = find(editing).url || ""

    Flickable {
        anchors.fill: parent
        contentHeight: col.implicitHeight + theme.gap
        clip: true
        Column {
            id: col
            width: parent.width
            spacing: theme.gap * 0.75
            Label {
                width: parent.width; size: theme.fontLarge * 0.85; font.bold: true
                text: qsTr("设置地址：%1").arg(ed.zh ? (ed.dev.label_zh || "") : (ed.dev.label_en || ""))
            }
            Label { width: parent.width; muted: true; size: theme.fontSmall; wrapMode: Text.WrapAnywhere
                    text: qsTr("当前 %1").arg(ed.dev.url || "-") }
            Label { text: qsTr("找到的设备（点选）"); font.bold: true; size: theme.fontSmall + 2 }
            Label { visible: maint.candidates.length === 0; muted: true; size: theme.fontSmall
                    text: qsTr("没有找到设备：检查连线，或在下方直接输入地址") }
            Repeater {
                model: maint.candidates
                Rectangle {
                    objectName: "maint.candidate." + index
                    width: col.width; height: candCol.implicitHeight + theme.gap
                    radius: theme.radius
                    color: field.text === modelData.url ? "#e3e9f2" : theme.surface
                    border.color: modelData.usable ? theme.primary : theme.border; border.width: field.text === modelData.url ? 4 : 2
                    Column {
                        id: candCol
                        anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: theme.gap / 2 }
                        Text { width: parent.width; text: modelData.label; font.family: theme.fontFamily; font.bold: true
                               font.pixelSize: theme.fontSmall + 2; color: modelData.usable ? theme.text : theme.textMuted; elide: Text.ElideRight }
                        Text { width: parent.width; text: modelData.usable ? modelData.url : modelData.note; wrapMode: Text.WrapAnywhere
                               font.family: theme.fontFamily; font.pixelSize: theme.fontSmall * 0.85; color: theme.textMuted }
                    }
                    MouseArea { anchors.fill: parent; enabled: modelData.usable; onClicked: { maint.touch(); field.text = modelData.url } }
                }
            }
            Label { text: qsTr("地址"); font.bold: true; size: theme.fontSmall + 2 }
            TextField {
                id: field
                objectName: "maint.url.field"
                width: parent.width; height: 96
                font.family: theme.fontFamily; font.pixelSize: theme.fontSmall + 2
                inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText | Qt.ImhPreferLatin
            }
            Label { visible: field.text.indexOf("serial://") === 0; text: qsTr("波特率"); font.bold: true; size: theme.fontSmall + 2 }
            Flow {
                visible: field.text.indexOf("serial://") === 0
                width: parent.width; spacing: theme.gap / 2
                Repeater {
                    model: maint.baudRates
                    SmallButton {
                        objectName: "maint.baud." + modelData
                        text: String(modelData)
                        selected: field.text.indexOf("baudrate=" + modelData) >= 0
                        onClicked: field.text = maint.withParam(field.text, "baudrate=" + modelData)
                    }
                }
            }
            Label { visible: maint.editing === "printer"; text: qsTr("纸宽"); font.bold: true; size: theme.fontSmall + 2 }
            Flow {
                visible: maint.editing === "printer"
                width: parent.width; spacing: theme.gap / 2
                Repeater {
                    model: maint.printerProfiles
                    SmallButton {
                        objectName: "maint.profile." + modelData
                        text: modelData
                        selected: field.text.indexOf("profile=") >= 0 ? field.text.indexOf("profile=" + modelData) >= 0
                                                                     : (ed.dev.options || {}).profile === modelData
                        onClicked: field.text = maint.withParam(field.text, "profile=" + modelData)
                    }
                }
            }
            Label { visible: maint.editing === "barcode"; text: qsTr("结束符"); font.bold: true; size: theme.fontSmall + 2 }
            Flow {
                visible: maint.editing === "barcode"
                width: parent.width; spacing: theme.gap / 2
                Repeater {
                    model: maint.scannerSuffixes
                    SmallButton {
                        objectName: "maint.suffix." + modelData
                        text: modelData
                        selected: field.text.indexOf("suffix=" + modelData) >= 0
                        onClicked: field.text = maint.withParam(field.text, "suffix=" + modelData)
                    }
                }
            }
            Repeater {
                model: maint.applyErrors
                Label { objectName: "maint.url.error." + index; width: col.width; color: theme.error; font.bold: true
                        size: theme.fontSmall; text: modelData }
            }
            Row {
                spacing: theme.gap
                SmallButton {
                    objectName: "maint.url.apply"
                    primary: true
                    text: qsTr("保存并应用")
                    enabledState: field.text !== ""
                    onClicked: maint.apply(maint.editing, field.text)
                }
                SmallButton {
                    objectName: "maint.url.cancel"
                    text: qsTr("取消")
                    onClicked: maint.edit("")
                }
            }
            Label { width: parent.width; muted: true; size: theme.fontSmall * 0.9
                    text: qsTr("保存在本机设置文件中，软件升级后仍然有效，并立即生效") }
        }
    }
}
