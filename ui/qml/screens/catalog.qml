import QtQuick
import QtQuick.Controls
import "../components"

ScreenPage {
    id: root
    showSteps: false
    // Landscape: the title and prompt stand beside the search and the list, which get the page's height
    // (stacked, a 15.6" elder screen left the list 54 mm, less than one row of English; a standard one 35 mm)
    headingBeside: true
    sideShare: 0.3  // only the title and the prompt stand there: the rows keep their tags beside the name
    sideShareMax: 0.4
    title: kiosk.catalogFilter.kind === "bills" ? qsTr("生活缴费") : qsTr("请选择办理事项")
    // Elder mode shows no department or topic chips (catalog.groups): its prompt promises only the search.
    prompt: kiosk.catalogFilter.kind === "bills" ? qsTr("水费、电费、燃气费，可扫描账单条码")
            : theme.elder ? qsTr("输入名称或拼音首字母搜索")
                          : qsTr("可按部门、主题查找，或输入名称、拼音首字母搜索")
    // Beside the list (landscape elder) the search field stands under the prompt, so the list has the page's
    // whole height: over the list it left a 15.6" screen's list 571 px, less than one offline English row with
    // its reason. While typing the heading gives way and the field goes back over the list.
    readonly property bool searchBeside: root.besideLayout && besideSlot.visible
    readonly property bool searchable: kiosk.catalogFilter.kind !== "bills"
    Column {
        anchors.fill: parent
        spacing: theme.gap
        Item {  // the search field's room over the list (the field itself is placed on it, or beside)
            id: searchHome
            visible: root.searchable && !root.searchBeside
            width: parent.width
            height: visible ? theme.button : 0
        }
        TextField {
            id: search
            objectName: "catalog.search"
            // The page's own child, placed by x and y: moved between two parents the focused field lost the
            // keyboard as it went (and the keyboard's coming and going is what moves it: a binding loop).
            parent: root
            x: root.searchBeside ? root.besideSlot.x : root.bodyArea.x
            y: root.searchBeside ? root.besideSlot.y : root.bodyArea.y
            z: 1
            visible: root.searchable
            width: root.searchBeside ? root.besideSlot.width : root.bodyArea.width
            height: theme.button
            font.family: theme.fontFamily
            font.pixelSize: theme.font
            // (beside, the prompt over it already says what to type: the long example would be cut off)
            placeholderText: root.searchBeside ? qsTr("如“wfz”") : qsTr("搜索：如“无犯罪”或“wfz”")
            leftPadding: theme.gap * 2.5
            inputMethodHints: Qt.ImhNoAutoUppercase  // pinyin initials: the keyboard's shift made "Wfz"
            // Pinyin typed on the keyboard is still in preedit: search on it too, so "wfz" finds 无犯罪记录证明.
            onDisplayTextChanged: kiosk.searchCatalog(text + preeditText)
            onPreeditTextChanged: kiosk.searchCatalog(text + preeditText)
            background: Rectangle { radius: height / 2; color: "white"; border.color: search.activeFocus ? theme.primary : theme.border; border.width: 3 }
            Item {  // a magnifier drawn with shapes: no emoji font on a kiosk
                anchors { left: parent.left; leftMargin: theme.gap; verticalCenter: parent.verticalCenter }
                width: theme.font; height: theme.font
                Rectangle { width: parent.width * 0.7; height: width; radius: width / 2; color: "transparent"
                            border.color: theme.textMuted; border.width: 3 }
                Rectangle { x: parent.width * 0.55; y: parent.height * 0.62; width: parent.width * 0.45; height: theme.px(1)
                            radius: 2; color: theme.textMuted; rotation: 45; transformOrigin: Item.Left }
            }
        }
        ListView {
            id: chips
            objectName: "catalog.groups"
            visible: kiosk.catalogFilter.kind !== "bills" && !theme.elder
            width: parent.width
            height: theme.button * 0.8
            orientation: ListView.Horizontal
            spacing: theme.gap
            clip: true
            model: [{"kind": "all", "value": "", "label": qsTr("全部"), "count": 0}].concat(kiosk.catalogGroups)
            delegate: Rectangle {
                objectName: "catalog.group." + modelData.kind + "." + modelData.value
                readonly property bool chosen: kiosk.catalogFilter.kind === modelData.kind && kiosk.catalogFilter.value === modelData.value
                height: chips.height
                width: chipLabel.implicitWidth + 2 * theme.gap
                radius: height / 2
                color: chosen ? theme.primary : theme.surface
                border.color: modelData.kind === "event" ? theme.ok : theme.primary
                border.width: 2
                Text { id: chipLabel; anchors.centerIn: parent; text: modelData.label; font.family: theme.fontFamily
                       font.pixelSize: theme.fontSmall; color: parent.chosen ? "white" : theme.text }
                MouseArea { anchors.fill: parent; onClicked: { search.text = ""; kiosk.setCatalogFilter(modelData.kind, modelData.value) } }
            }
        }
        ListView {
            id: list
            objectName: "catalog.list"
            width: parent.width
            height: parent.height - (searchHome.visible ? searchHome.height + theme.gap : 0)
                    - (chips.visible ? chips.height + theme.gap : 0)
            clip: true
            spacing: theme.gap
            model: kiosk.items
            Label {
                anchors.centerIn: parent
                visible: list.count === 0
                text: qsTr("没有找到相关事项，请换个说法试试")
                muted: true
            }
            delegate: Rectangle {
                id: row
                objectName: "catalog.item." + modelData.code
                // On a narrow list (15.6" portrait elder) the tags go under the name: beside it they took a
                // quarter of the width and a long English name wrapped to five lines, a row taller than the list.
                // So do tags wider than a third of the row (two tags in elder English, 秒批 and 暂不可办 offline:
                // beside them the name and the reason wrapped one word a line, a row 1,879 px tall on 15.6")
                readonly property bool tagsBelow: list.width < theme.px(theme.elder ? 220 : 120)
                                                  || tagsBeside.implicitWidth > list.width / 3
                // elder text on a list under 260 mm (15.6", 21.5" portrait): the name at body size, lines closer
                readonly property bool compact: tagsBelow || (theme.elder && list.width < theme.px(260))
                readonly property bool tagged: modelData.instant || modelData.kind === "bill_payment"
                                               || modelData.available === false
                width: list.width
                // (narrow: half the padding over and under, as the lines are set closer)
                height: col.implicitHeight + (compact ? 1 : 2) * theme.gap
                radius: theme.radius
                color: area.pressed ? "#e3e9f2" : theme.surface
                border.color: theme.border
                border.width: theme.elder ? 3 : 1
                Component {
                    id: tagsRow
                    Row {
                        objectName: "catalog.item." + modelData.code + ".tags"
                        spacing: theme.px(3)
                        Tag { visible: modelData.instant; text: qsTr("秒批"); fill: theme.ok }
                        Tag { visible: modelData.kind === "bill_payment"; text: qsTr("缴费"); fill: theme.warn }
                        Tag { objectName: "catalog.item." + modelData.code + ".notNow"
                              visible: modelData.available === false; text: qsTr("暂不可办"); fill: theme.textMuted }
                    }
                }
                Column {
                    id: col
                    anchors { left: parent.left; right: row.tagsBelow ? parent.right : tagsBeside.left
                              verticalCenter: parent.verticalCenter; margins: theme.gap }
                    spacing: row.compact ? theme.px(1) : theme.px(2)
                    // (narrow: the name at body size, still elder text, and lines set closer, so that the longest
                    // English name, five lines, leaves its row no taller than the list)
                    Label { width: parent.width; text: modelData.name; font.bold: true
                            size: row.compact ? theme.font : theme.fontLarge * 0.85; lineHeight: row.compact ? 1.0 : 1.3 }
                    // The fee first: a narrow row keeps it whole and shortens the department to one line (an elder
                    // English row offline was 808 px in a 571 px landscape list: "Human Resources and Social
                    // Security · Free" took two lines of it); the guide names the department in full.
                    Label { objectName: "catalog.item." + modelData.code + ".fee"
                            width: parent.width; text: modelData.fee + " · " + modelData.department; muted: true
                            size: theme.fontSmall; lineHeight: row.compact ? 1.1 : 1.3
                            maximumLineCount: row.compact ? 1 : 3; elide: Text.ElideRight
                            readonly property bool shortenedOnPurpose: true }
                    Label {  // offline and the item needs the platform: why it cannot be done now
                        objectName: "catalog.item." + modelData.code + ".blocked"
                        visible: modelData.available === false
                        width: parent.width; text: modelData.blockedReason || ""; size: theme.fontSmall; color: theme.warn
                        lineHeight: row.compact ? 1.1 : 1.3
                    }
                    Loader { active: row.tagsBelow && row.tagged; visible: active; sourceComponent: tagsRow }
                }
                Loader {  // (built on every row: its width decides where the tags go; shown only beside)
                    id: tagsBeside
                    visible: !row.tagsBelow
                    anchors { right: parent.right; rightMargin: theme.gap; verticalCenter: parent.verticalCenter }
                    sourceComponent: tagsRow
                }
                MouseArea { id: area; anchors.fill: parent; onClicked: kiosk.chooseItem(modelData.code) }
            }
        }
    }
}
