import QtQuick
import "../components"

ScreenPage {
    title: qsTr("缴费")
    prompt: qsTr("本机暂未开通缴费，请到窗口缴纳")
}
