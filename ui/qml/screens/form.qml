import QtQuick
import QtQuick.Controls
import QtQuick.VirtualKeyboard
import "../components"

ScreenPage {
    id: root
    headingBeside: true  // landscape: title, prompt and 下一步 beside the fields
    title: kiosk.payment.isBill ? qsTr("输入缴费户号") : qsTr("核对并填写信息")
    // A bill reads no ID card: only an application's form says where its prefilled data came from.
    // (a short page gives the prompt's room to the fields while a notice takes the bottom: 15.6" portrait elder
    // English with a help notice left the fields none, and the prompt ran under 下一步)
    prompt: short && noticeBar.visible ? ""
            : kiosk.payment.isBill ? qsTr("请输入账单上的户号，也可在扫码口扫描账单条形码")
                                   : qsTr("带“已自动填写”的内容来自您的身份证，请核对；其余请补充")
    // Enter (a physical keyboard's, or the on-screen keyboard's) goes to the next field to type into; on the
    // last one it is 下一步.
    function advance(index) {
        for (var i = index + 1; i < fields.count; i++) {
            var card = fields.itemAt(i)
            if (card && card.input.visible && !card.input.readOnly) {
                card.input.forceActiveFocus()
                return
            }
        }
        next()
    }
    function next() {
        Qt.inputMethod.hide()
        kiosk.submitForm()
    }
    // 下一步 found errors: the first wrong field is brought into view with its label and message; a field
    // to type into gets the focus and the keyboard, and stays in view above it.
    Connections {
        target: kiosk
        function onFormErrorShown() {
            for (var i = 0; i < fields.count; i++) {
                var card = fields.itemAt(i)
                if (card && card.fieldError !== "") {
                    if (card.input.visible && !card.input.readOnly) {
                        card.input.forceActiveFocus()
                        Qt.inputMethod.show()
                    }
                    root.reveal(card)
                    return
                }
            }
        }
    }
    // The form opens with the cursor (and the keyboard) in the first field the citizen must type: no tap to
    // start typing. A form with nothing to type opens with the keyboard closed.
    Timer {
        interval: 0
        running: true
        onTriggered: {
            for (var j = 0; j < fields.count; j++)  // a field the citizen already tapped keeps the cursor
                if (fields.itemAt(j) && fields.itemAt(j).input.activeFocus) return
            for (var i = 0; i < fields.count; i++) {
                var card = fields.itemAt(i)
                if (card && card.wantsTyping) {
                    card.input.forceActiveFocus()
                    root.reveal(card)
                    return
                }
            }
        }
    }
    // The widest line a field's card cannot wrap: its example in the field (one line) and its hint's longest
    // word, at their sizes, plus the field's own padding.
    FontMetrics { id: fieldFont; font.family: theme.fontFamily; font.pixelSize: theme.fontLarge * 0.8 }
    FontMetrics { id: hintFont; font.family: theme.fontFamily; font.pixelSize: theme.fontSmall }
    readonly property real widestLine: {
        var w = 0
        var fs = kiosk.formFields
        for (var i = 0; i < fs.length; i++) {
            if (fs[i].example)
                w = Math.max(w, fieldFont.advanceWidth(qsTr("例如 %1").arg(fs[i].example)) + theme.gap)
            var words = (fs[i].hint || "").match(/[!-~]+/g) || []  // Latin runs: Chinese wraps anywhere
            for (var j = 0; j < words.length; j++)
                w = Math.max(w, hintFont.advanceWidth(words[j]))
        }
        return w
    }
    property Item revealTarget: null
    function reveal(card) {
        revealTarget = card
        revealTimer.restart()
    }
    Timer {  // after the keyboard has opened and the page has shrunk above it
        id: revealTimer
        objectName: "form.revealTimer"
        interval: 40
        onTriggered: {
            var card = root.revealTarget
            if (!card) return
            var top = card.mapToItem(flick.contentItem, 0, 0).y
            var margin = theme.gap / 2
            // Short of room (landscape, keyboard up): the card's own padding gives way to its label and field.
            if (card.height + 2 * margin > flick.height) {
                top += card.padding
                margin = 0
            }
            var y = flick.contentY
            if (top - margin < y || card.height + 2 * margin > flick.height)
                y = top - margin
            else if (top + card.height + margin > y + flick.height)
                y = top + card.height + margin - flick.height
            // The field typed in stays whole whatever else gives way: 15.6" landscape elder, the keyboard up,
            // the label and its "filled in" tag above the field left the field's bottom under the keyboard.
            if (card.input.visible) {
                var fieldTop = card.input.mapToItem(flick.contentItem, 0, 0).y
                var fieldBottom = fieldTop + card.input.height
                if (fieldBottom > y + flick.height) y = fieldBottom - flick.height
                if (fieldTop < y) y = fieldTop
            }
            var maxY = Math.max(0, flick.contentHeight - flick.height)
            if (y !== flick.contentY) flick.contentY = Math.max(0, Math.min(maxY, y))
            if (!card.input.activeFocus) root.revealTarget = null  // a choice: once is enough
        }
    }
    Flickable {
        id: flick
        objectName: "form.flick"
        anchors.fill: parent
        contentHeight: col.height + theme.gap * 2
        clip: true
        boundsBehavior: Flickable.StopAtBounds
        // Only while the wrong field still has the focus: the room above the keyboard changed, keep it in view.
        onHeightChanged: if (root.revealTarget && root.revealTarget.input.activeFocus) revealTimer.restart()
        // ... and where the fields moved (two columns become one while typing; on a slow machine that relayout
        // came after the reveal, and the field typed in stayed below the fold)
        onContentHeightChanged: if (root.revealTarget && root.revealTarget.input.activeFocus) revealTimer.restart()
        onWidthChanged: if (root.revealTarget && root.revealTarget.input.activeFocus) revealTimer.restart()
        // Landscape with the keyboard closed: the page is wide and short, so the fields stand in two columns
        // (issue 17, Deliver 1) instead of one long column below the fold. Typing, one column: the field with
        // the cursor has the width beside the actions or the elder number pad. The heading and 下一步 stand in a
        // column beside the fields (headingBeside); where that leaves a column too narrow (15.6" elder) the
        // fields stand in one column, at the page's full height.
        Flow {
            id: col
            objectName: "form.fields"
            // ... only where every field's example and the longest word of its hint fit a column's field (a
            // long code's example, "e.g. 2024-440305-47-01-123456", was cut in two 21.5" elder columns)
            readonly property bool twoColumns: theme.landscape && !root.typing
                                               && (width - spacing) / 2 - 2 * theme.gap >= root.widestLine
                                               && (width - spacing) / 2 >= theme.px(theme.elder ? 110 : 80)
            readonly property real columnWidth: twoColumns ? (width - spacing) / 2 : width
            width: parent.width
            spacing: theme.gap
            Repeater {
                id: fields
                model: kiosk.formFields
                Card {
                    id: fieldCard
                    objectName: "form.card." + modelData.name
                    width: col.columnWidth
                    readonly property alias input: input
                    readonly property int fieldIndex: index
                    readonly property bool wantsTyping: input.visible && !input.readOnly && modelData.required
                                                        && input.text === ""
                    readonly property string fieldError: kiosk.fieldErrors[modelData.name] || ""
                    readonly property string exampleText: modelData.example ? qsTr("例如 %1").arg(modelData.example) : ""
                    // "e.g. 2024-440305-47-01-123456" at elder size is wider than a 15.6" portrait field: the
                    // placeholder elided it (the sweep), so it goes under the field, whole.
                    readonly property bool exampleFits: exampleText === ""
                        || fieldFont.advanceWidth(exampleText) <= input.width - input.leftPadding - input.rightPadding - 1
                    border.color: fieldError !== "" ? theme.error : theme.border
                    border.width: fieldError !== "" ? 4 : (theme.elder ? 3 : 1)
                    Column {
                        width: parent.width
                        spacing: theme.px(3)
                        Flow {  // the "filled in" tag goes under a label that leaves it no room, not past the card's edge
                            width: parent.width
                            spacing: theme.px(4)
                            Label { objectName: "form.label." + modelData.name
                                    width: Math.min(implicitWidth, parent.width)
                                    text: modelData.label + (modelData.required ? " *" : ""); font.bold: true }
                            Tag { visible: modelData.prefilled && modelData.value !== ""; text: qsTr("已自动填写"); fill: theme.ok }
                        }
                        KioskField {
                            id: input
                            objectName: "form.field." + modelData.name
                            visible: modelData.type !== "choice" && modelData.type !== "bool"
                            width: parent.width
                            text: kiosk.fieldValues[modelData.name] || ""
                            readOnly: !modelData.editable
                            maximumLength: modelData.maxLength
                            error: fieldCard.fieldError !== ""
                            keyboard: modelData.keyboard
                            // The hint is the field's explanation: it shows whole under the field (a placeholder is
                            // cut to one line and goes when typing starts); the placeholder gives the example, where
                            // it fits the field (else the line under it does).
                            placeholderText: fieldCard.exampleFits ? fieldCard.exampleText : ""
                            EnterKeyAction.actionId: EnterKeyAction.Next
                            onTextEdited: kiosk.setField(modelData.name, latin ? text.toUpperCase() : text)
                            onAccepted: root.advance(fieldCard.fieldIndex)
                            // whichever field has the cursor is the one kept in view as the keyboard changes
                            onActiveFocusChanged: if (activeFocus) root.reveal(fieldCard)
                        }
                        Label {  // an example wider than the field (a long code's, on a narrow elder screen) wraps here,
                                 // unless the hint under it already gives it
                            objectName: "form.example." + modelData.name
                            visible: input.visible && fieldCard.exampleText !== "" && !fieldCard.exampleFits
                                     && (modelData.hint || "").indexOf(modelData.example) < 0
                            width: parent.width
                            text: fieldCard.exampleText
                            wrapMode: Text.WrapAtWordBoundaryOrAnywhere
                            muted: true
                            size: theme.fontSmall
                        }
                        Label {  // right under the field: what is wrong comes before the hint
                            objectName: "form.error." + modelData.name
                            visible: fieldCard.fieldError !== ""
                            width: parent.width
                            text: fieldCard.fieldError
                            color: theme.error
                            font.bold: true
                            lineHeight: 1.0  // one line less of room taken where room is short (landscape, keyboard up)
                        }
                        Label {
                            objectName: "form.hint." + modelData.name
                            visible: input.visible && (modelData.hint || "") !== ""
                            width: parent.width
                            text: modelData.hint || ""
                            muted: true
                            size: theme.fontSmall
                        }
                        // A field's chips or its tick box only where its type has them: each card of a form built
                        // all three kinds and hid two (the identify -> form change paid for items never shown).
                        Loader {
                            active: modelData.type === "choice"
                            visible: active
                            width: parent.width
                            sourceComponent: Component {
                                Flow {
                                    width: parent.width
                                    spacing: theme.gap
                                    Repeater {
                                        model: modelData.choices
                                        Rectangle {
                                            objectName: "form.choice." + fieldCard.fieldName + "." + modelData.value
                                            readonly property bool chosen: fieldCard.fieldValue === modelData.value
                                            // never wider than its card: a long label (elder English) wraps inside it
                                            width: Math.min(parent.width, Math.max(theme.px(55), chipText.implicitWidth + 2 * theme.gap))
                                            height: Math.max(theme.button * 0.85, chipText.height + theme.gap)
                                            radius: theme.px(3.5)
                                            color: chosen ? theme.primary : "white"
                                            border.color: theme.primary
                                            border.width: 3
                                            Text { id: chipText; anchors.centerIn: parent; text: modelData.label; font.family: theme.fontFamily
                                                   width: Math.min(implicitWidth, parent.width - 2 * theme.gap)
                                                   wrapMode: Text.WordWrap; horizontalAlignment: Text.AlignHCenter
                                                   font.pixelSize: theme.font; color: parent.chosen ? "white" : theme.primary; font.bold: true }
                                            MouseArea { anchors.fill: parent; onClicked: kiosk.setField(fieldCard.fieldName, modelData.value) }
                                        }
                                    }
                                }
                            }
                        }
                        Loader {
                            active: modelData.type === "bool"
                            visible: active
                            width: parent.width
                            sourceComponent: Component {
                                Rectangle {
                                    objectName: "form.check." + fieldCard.fieldName
                                    readonly property bool ticked: fieldCard.fieldValue === "true"
                                    width: parent.width
                                    height: theme.button
                                    radius: theme.px(3.5)
                                    color: ticked ? "#e6f2ea" : "white"
                                    border.color: ticked ? theme.ok : theme.border
                                    border.width: 3
                                    Rectangle {
                                        id: box
                                        anchors { left: parent.left; leftMargin: theme.gap; verticalCenter: parent.verticalCenter }
                                        width: theme.button * 0.55; height: width; radius: theme.px(2)
                                        color: parent.ticked ? theme.ok : "white"
                                        border.color: parent.ticked ? theme.ok : theme.textMuted
                                        border.width: 3
                                        Text { anchors.centerIn: parent; text: "✓"; visible: parent.parent.ticked; color: "white"
                                               font.pixelSize: parent.height * 0.8; font.bold: true }
                                    }
                                    Label {
                                        anchors { left: box.right; right: parent.right; leftMargin: theme.gap; verticalCenter: parent.verticalCenter }
                                        text: parent.ticked ? qsTr("已勾选确认") : qsTr("点击勾选确认")
                                    }
                                    MouseArea { anchors.fill: parent
                                                onClicked: kiosk.setField(fieldCard.fieldName, parent.ticked ? "false" : "true") }
                                }
                            }
                        }
                    }
                    readonly property string fieldName: modelData.name
                    readonly property string fieldValue: kiosk.fieldValues[modelData.name] || ""
                }
            }
        }
    }
    actions: [
        BigButton { objectName: "form.next"; text: qsTr("下一步"); onClicked: root.next() }
    ]
}
