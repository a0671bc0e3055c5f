"""What the staff web app says, in Chinese (the default) and English. Keys name the place a text
appears; a value the catalogue lacks falls back to the other language, then to the key itself (a
test checks that every key has both)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

Language = str  # "zh" or "en"
LANGUAGES = ("zh", "en")

CATALOGUE: dict[str, dict[str, str]] = {
    "app.name": {"zh": "投诉与客户工作台", "en": "Complaints and clients"},
    "nav.worklist": {"zh": "我的工作", "en": "My work"},
    "nav.register": {"zh": "登记投诉", "en": "Register a complaint"},
    "nav.password": {"zh": "修改密码", "en": "Change password"},
    "nav.unit": {"zh": "本单位", "en": "My unit"},
    "nav.inbox": {"zh": "消息", "en": "Messages"},
    "nav.users": {"zh": "用户管理", "en": "Users"},
    "nav.reports": {"zh": "统计报表", "en": "Reports"},
    "report.title": {"zh": "投诉统计", "en": "Complaint statistics"},
    "report.first": {"zh": "受理日期自", "en": "Received from"},
    "report.last": {"zh": "至", "en": "to"},
    "report.show": {"zh": "统计", "en": "Count"},
    "report.csv": {"zh": "下载 CSV", "en": "Download CSV"},
    "report.xlsx": {"zh": "下载 Excel", "en": "Download Excel"},
    "report.basis": {"zh": "时限政策 {policy}，工作日历 {calendar}",
                     "en": "SLA policy {policy}, calendar {calendar}"},
    "report.total": {"zh": "合计", "en": "Total"},
    "report.received": {"zh": "受理", "en": "Received"},
    "report.closed": {"zh": "办结", "en": "Closed"},
    "report.open": {"zh": "在办", "en": "Open"},
    "report.resolved_on_spot": {"zh": "当场解决", "en": "On the spot"},
    "report.replied_in_time": {"zh": "按时答复", "en": "Replied in time"},
    "report.extended": {"zh": "延期", "en": "Extended"},
    "report.breached": {"zh": "超时", "en": "Breached"},
    "report.reopened": {"zh": "重新处理", "en": "Reopened"},
    "report.satisfied": {"zh": "满意", "en": "Satisfied"},
    "report.withdrawn": {"zh": "撤诉", "en": "Withdrawn"},
    "report.no_response": {"zh": "未反馈", "en": "No response"},
    "report.handling_days_average": {"zh": "平均办理工作日", "en": "Average working days"},
    "report.handling_days_p90": {"zh": "90% 办理工作日", "en": "90th percentile"},
    "report.by.category": {"zh": "按业务类别", "en": "By business line"},
    "report.by.cause": {"zh": "按投诉原因", "en": "By cause"},
    "report.by.channel": {"zh": "按受理渠道", "en": "By channel"},
    "report.by.outlet": {"zh": "按网点", "en": "By outlet"},
    "report.by.handler": {"zh": "按经办人", "en": "By handler"},
    "unit.title": {"zh": "本单位概况", "en": "My unit"},
    "nav.agenda": {"zh": "今日日程", "en": "My day"},
    "agenda.title": {"zh": "{manager} 的今日日程（{day}）", "en": "{manager}'s day ({day})"},
    "agenda.targets": {"zh": "今日已联系 {contacts}/{contacts_target} 位客户，已会面 "
                       "{meetings}/{meetings_target} 次；逾期 {overdue} 项。",
                       "en": "Today: {contacts} of {contacts_target} contacts, {meetings} of "
                             "{meetings_target} meetings; {overdue} overdue."},
    "agenda.due": {"zh": "今日到期及逾期的事项（最早的在前）", "en": "Due today and overdue, "
                   "soonest first"},
    "agenda.what": {"zh": "事项", "en": "What"}, "agenda.when": {"zh": "时间", "en": "When"},
    "agenda.kind.meeting": {"zh": "约定会面", "en": "Agreed meeting"},
    "agenda.kind.follow_up": {"zh": "跟进计划联系", "en": "Follow-up contact"},
    "agenda.kind.planned": {"zh": "约定或账户动态提示的联系", "en": "Planned contact"},
    "agenda.kind.cadence": {"zh": "定期联系", "en": "Contact at the tier's cadence"},
    "agenda.kind.after_sale": {"zh": "售后联系", "en": "After-sale contact"},
    "agenda.kind.contact": {"zh": "联系", "en": "Contact"},
    "agenda.kind.retention": {"zh": "销户挽留", "en": "Retention attempt"},
    "agenda.kind.maturity": {"zh": "产品到期联系", "en": "Maturity contact"},
    "agenda.kind.care": {"zh": "客户关怀", "en": "Care occasion"},
    "agenda.kind.survey": {"zh": "满意度回访", "en": "Satisfaction survey"},
    "agenda.on_day": {"zh": "（{day}）", "en": " ({day})"},
    "agenda.overdue_mark": {"zh": "已逾期", "en": "overdue"},
    "surveys.title": {"zh": "近30天客户满意度回访", "en": "Satisfaction surveys, last 30 days"},
    "surveys.figures": {"zh": "已回访 {surveys} 位，平均 {mean} 分；到期未回访 {outstanding} 位。",
                        "en": "{surveys} surveyed, mean score {mean}; {outstanding} due and "
                              "not yet surveyed."},
    "surveys.low": {"zh": "低分（1–2分）客户", "en": "Low scores (1–2)"},
    "agenda.managers": {"zh": "本单位客户经理", "en": "The unit's managers"},
    "agenda.due_today": {"zh": "今日到期", "en": "Due today"},
    "agenda.overdue": {"zh": "逾期", "en": "Overdue"},
    "unit.by_handler": {"zh": "各经办人在办案件", "en": "Open cases by handler"},
    "unit.open": {"zh": "在办", "en": "Open"},
    "unit.extensions": {"zh": "待审批的延期申请", "en": "Extension requests to decide"},
    "unit.warnings": {"zh": "今日预警", "en": "Warnings due today"},
    "unit.due_today": {"zh": "今日到期", "en": "Due today"},
    "unit.breached": {"zh": "已超时", "en": "Breached"},
    "unit.escalated": {"zh": "已升级", "en": "Escalated"},
    "unit.held": {"zh": "升级至本单位的案件", "en": "Cases escalated to this unit"},
    "unit.corrective": {"zh": "未完成的整改措施", "en": "Open corrective actions"},
    "unit.follow_ups": {"zh": "待回访的已结案件", "en": "Closed cases to follow up"},
    "unit.owner": {"zh": "整改责任人", "en": "Owner"},
    "unit.action_due": {"zh": "整改期限", "en": "Due"},
    "worklist.regulatory_mark": {"zh": "监管期限", "en": "regulatory"},
    "unit.level": {"zh": "升级层级", "en": "Level"},
    "unit.none": {"zh": "无", "en": "None"},
    "unit.reassign": {"zh": "转交缺勤人员的案件", "en": "Hand over an absent officer's cases"},
    "unit.from": {"zh": "原经办人", "en": "From"},
    "unit.to": {"zh": "新经办人", "en": "To"},
    "unit.to_reply": {"zh": "待发出的答复（信函、传真由网点负责人发出）",
                      "en": "Replies ready to go out (letters and faxes are sent by the head)"},
    "unit.retention": {"zh": "待第二次挽留的客户", "en": "Clients awaiting the second retention "
                                                        "attempt"},
    "unit.unmanaged": {"zh": "尚未指定客户经理的客户", "en": "Clients without a manager"},
    "unit.hand_over_clients": {"zh": "转交缺勤客户经理的客户",
                               "en": "Hand over an absent manager's clients"},
    "unit.moved": {"zh": "已转交 {moved} 件，未能转交 {refused} 件。",
                   "en": "{moved} case(s) handed over, {refused} refused."},
    "inbox.title": {"zh": "我的消息", "en": "My messages"},
    "inbox.empty": {"zh": "没有消息。", "en": "No messages."},
    "inbox.mark_read": {"zh": "标为已读", "en": "Mark read"},
    "inbox.unread": {"zh": "未读", "en": "unread"},
    "nav.clients": {"zh": "我的客户", "en": "My clients"},
    "clients.title": {"zh": "我的客户（按下次联系时间）", "en": "My clients, by next contact due"},
    "clients.unit_title": {"zh": "本单位客户（按下次联系时间）",
                           "en": "The unit's clients, by next contact due"},
    "clients.empty": {"zh": "没有客户。", "en": "No clients."},
    "clients.client": {"zh": "客户号", "en": "Client"},
    "clients.tier": {"zh": "客户等级", "en": "Tier"},
    "clients.stage": {"zh": "阶段", "en": "Stage"},
    "clients.manager": {"zh": "客户经理", "en": "Manager"},
    "clients.next_contact": {"zh": "下次联系", "en": "Next contact due"},
    "clients.churn": {"zh": "流失风险", "en": "Churn risk"},
    "clients.complaints": {"zh": "在办投诉", "en": "Open complaints"},
    "clients.next_alarm": {"zh": "下一提醒", "en": "Next reminder"},
    "client.title": {"zh": "客户 {client_id}", "en": "Client {client_id}"},
    "users.title": {"zh": "用户管理", "en": "Users"},
    "users.add": {"zh": "新增用户", "en": "Add a user"},
    "users.role": {"zh": "岗位", "en": "Role"},
    "users.unit": {"zh": "所属单位", "en": "Unit"},
    "users.language": {"zh": "语言", "en": "Language"},
    "users.first_password": {"zh": "初始密码", "en": "First password"},
    "users.set_password": {"zh": "重设密码", "en": "Set password"},
    "users.failed": {"zh": "未能完成：", "en": "Not done:"},
    "nav.signout": {"zh": "退出", "en": "Sign out"},
    "nav.language": {"zh": "English", "en": "中文"},
    "signin.title": {"zh": "登录", "en": "Sign in"},
    "signin.name": {"zh": "用户名", "en": "User name"},
    "signin.password": {"zh": "密码", "en": "Password"},
    "signin.submit": {"zh": "登录", "en": "Sign in"},
    "signin.wrong": {"zh": "用户名或密码不正确。", "en": "Wrong user name or password."},
    "signin.refused": {"zh": "用户名或密码不正确；连续失败 5 次后账号将锁定 15 分钟。",
                       "en": "Wrong user name or password; after 5 failures in a row the account "
                             "is locked for 15 minutes."},
    "signin.locked": {"zh": "连续多次登录失败，账号已锁定 15 分钟。请稍后再试或联系管理员。",
                      "en": "Too many failed sign-ins: the account is locked for 15 minutes. "
                            "Try later or ask an administrator."},
    "signin.expired": {"zh": "长时间未操作，已自动退出，请重新登录。",
                       "en": "You were signed out after a while without activity. Sign in "
                             "again."},
    "signin.signed_out": {"zh": "您已退出。", "en": "You are signed out."},
    "form.stale_token": {"zh": "表单已失效（缺少或错误的安全令牌），未作任何记录。请重新打开页面。",
                         "en": "This form is no longer valid (missing or wrong security token); "
                               "nothing was recorded. Open the page again."},
    "form.submit": {"zh": "提交", "en": "Submit"},
    "form.optional": {"zh": "（选填）", "en": "(optional)"},
    "form.yes": {"zh": "是", "en": "Yes"},
    "form.no": {"zh": "否", "en": "No"},
    "form.invalid": {"zh": "请检查以下内容：", "en": "Please check:"},
    "form.list_hint": {"zh": "多个用逗号分隔", "en": "separate several with commas"},
    "password.title": {"zh": "修改密码", "en": "Change password"},
    "password.current": {"zh": "当前密码", "en": "Current password"},
    "password.new": {"zh": "新密码", "en": "New password"},
    "password.again": {"zh": "再次输入新密码", "en": "New password again"},
    "password.changed": {"zh": "密码已修改。", "en": "Your password is changed."},
    "password.mismatch": {"zh": "两次输入的新密码不一致。", "en": "The new passwords differ."},
    "password.too_short": {"zh": "新密码至少 10 位。", "en": "A password has at least 10 "
                                                           "characters."},
    "password.letters_and_digits": {"zh": "新密码须同时包含字母和数字。",
                                    "en": "A password has both letters and digits."},
    "password.contains_name": {"zh": "新密码不能包含用户名。",
                               "en": "A password may not contain the user name."},
    "worklist.title": {"zh": "我的工作", "en": "My work"},
    "worklist.empty": {"zh": "没有待办的投诉。", "en": "No open complaints."},
    "worklist.mine": {"zh": "只看我经办的", "en": "Only mine"},
    "worklist.breached": {"zh": "只看已超时", "en": "Only breached"},
    "worklist.filter": {"zh": "筛选", "en": "Filter"},
    "worklist.case": {"zh": "案件编号", "en": "Case"},
    "worklist.status": {"zh": "状态", "en": "Status"},
    "worklist.category": {"zh": "类别", "en": "Category"},
    "worklist.handler": {"zh": "经办人", "en": "Handler"},
    "worklist.outlet": {"zh": "网点", "en": "Outlet"},
    "worklist.received": {"zh": "受理时间", "en": "Received"},
    "worklist.due": {"zh": "答复期限", "en": "Reply due"},
    "worklist.left": {"zh": "剩余工作日", "en": "Working days left"},
    "worklist.group.overdue": {"zh": "已超时", "en": "Overdue"},
    "worklist.group.today": {"zh": "今日到期", "en": "Due today"},
    "worklist.group.week": {"zh": "七日内到期", "en": "Due within a week"},
    "worklist.group.later": {"zh": "以后到期", "en": "Due later"},
    "worklist.breach_mark": {"zh": "已超时", "en": "Breached"},
    "worklist.provisional": {"zh": "暂定", "en": "provisional"},
    "worklist.previous": {"zh": "上一页", "en": "Previous"},
    "worklist.next": {"zh": "下一页", "en": "Next"},
    "worklist.page": {"zh": "第 {page} 页", "en": "Page {page}"},
    "worklist.unassigned": {"zh": "未分派", "en": "unassigned"},
    "register.title": {"zh": "登记投诉", "en": "Register a complaint"},
    "register.done": {"zh": "投诉已登记。", "en": "The complaint is registered."},
    "case.title": {"zh": "投诉 {case_id}", "en": "Complaint {case_id}"},
    "case.status": {"zh": "状态", "en": "Status"},
    "case.deadline": {"zh": "答复期限", "en": "Reply due"},
    "case.clock": {"zh": "适用时限", "en": "Binding clock"},
    "case.clock.registered": {"zh": "受理后 {days} 个工作日内答复",
                              "en": "reply within {days} working days of receipt"},
    "case.clock.extension_approved": {"zh": "经批准延长，受理后 {days} 个工作日内答复",
                                      "en": "extended with approval: {days} working days of "
                                            "receipt"},
    "case.clock.other": {"zh": "{days} 个工作日", "en": "{days} working days"},
    "case.days_left": {"zh": "（剩余 {days} 个工作日）", "en": "({days} working days left)"},
    "case.calendar": {"zh": "工作日历版本", "en": "Calendar version"},
    "case.provisional": {"zh": "（暂定：该年官方日历尚未发布，仅按周末计算）",
                         "en": "(provisional: that year's official calendar is not out yet; "
                               "weekends alone counted)"},
    "case.breached": {"zh": "已超过答复期限", "en": "The reply deadline has passed"},
    "case.regulatory": {"zh": "监管处理期限", "en": "Regulatory period"},
    "case.regulatory.days": {"zh": "受理后 {days} 个自然日内作出处理决定并告知客户",
                             "en": "decide and tell the client within {days} calendar days"},
    "case.regulatory.extended": {"zh": "（经批准延长）", "en": " (extended with approval)"},
    "case.regulatory.stopped": {"zh": "（已答复，计时停止）", "en": " (replied: stopped)"},
    "case.regulatory.breached": {"zh": "已超过监管处理期限", "en": "The regulatory period has "
                                 "run out"},
    "case.binds_first": {"zh": "先到期", "en": "binds first"},
    "case.held_by": {"zh": "当前承办单位", "en": "Held by"},
    "case.held_by.accepted": {"zh": "（{who} 已受理）", "en": " (accepted by {who})"},
    "case.held_by.waiting": {"zh": "（待受理）", "en": " (not accepted yet)"},
    "case.escalation_answer": {"zh": "上级答复或指示", "en": "Higher unit's answer"},
    "case.fault": {"zh": "过错与纠正", "en": "Fault and correction"},
    "case.corrective": {"zh": "整改措施", "en": "Corrective actions"},
    "case.corrective.open": {"zh": "进行中", "en": "open"},
    "case.corrective.overdue": {"zh": "已逾期", "en": "overdue"},
    "case.corrective.done": {"zh": "已完成", "en": "done"},
    "case.corrective.line": {"zh": "{number}. {action}（责任人 {owner}，{due} 前完成）",
                             "en": "{number}. {action} (owner {owner}, due {due})"},
    "case.follow_up_due": {"zh": "回访已到期：请联系客户确认对处理结果是否满意并记录回访结果。",
                           "en": "The follow-up is due: ask the client whether they are satisfied "
                                 "with the result and record it."},
    "case.follow_up": {"zh": "回访结果", "en": "Follow-up"},
    "case.handler": {"zh": "经办人", "en": "Handler"},
    "case.outlet": {"zh": "网点", "en": "Outlet"},
    "case.extension": {"zh": "延期", "en": "Extension"},
    "case.timeline": {"zh": "处理记录", "en": "Timeline"},
    "case.steps": {"zh": "可办理的步骤", "en": "Steps you can take now"},
    "case.no_steps": {"zh": "您现在没有可办理的步骤。", "en": "There is no step for you now."},
    "case.done": {"zh": "已记录：{step}", "en": "Recorded: {step}"},
    "case.stale": {"zh": "该案件在您打开页面后已有变化，本次提交未记录。请查看最新情况后重试。",
                   "en": "The case changed after you opened this page; nothing was recorded. "
                         "Check what changed and try again."},
    "case.still_recording": {"zh": "该步骤已提交，正在记录中，尚未得到结果。请稍候再次点击提交"
                                   "（同一表单只会记录一次），或刷新页面查看。",
                             "en": "The step was taken in and is still being recorded. Send the "
                                   "same form again in a moment (it records once), or reload "
                                   "the page to see it."},
    "case.refused": {"zh": "未能办理，未作任何记录：", "en": "Refused, nothing recorded:"},
    "case.replay": {"zh": "回放", "en": "Replay"},
    "timeline.when": {"zh": "时间", "en": "When"},
    "timeline.who": {"zh": "办理人", "en": "Who"},
    "timeline.what": {"zh": "事项", "en": "What"},
    "audit.title": {"zh": "案件回放 {case_id}", "en": "Replay of {case_id}"},
    "audit.as_of": {"zh": "回放至第 {version} 条记录（{at}）",
                    "en": "As of record {version} ({at})"},
    "audit.slider": {"zh": "选择时点", "en": "Choose a moment"},
    "audit.show": {"zh": "查看", "en": "Show"},
    "audit.verify": {"zh": "校验报告", "en": "Verification report"},
    "audit.verified": {"zh": "校验通过：记录未被改动。",
                       "en": "Verified: nobody changed the record."},
    "audit.problems": {"zh": "发现问题：", "en": "Problems found:"},
    "audit.export_json": {"zh": "导出 JSON", "en": "Export JSON"},
    "audit.export_html": {"zh": "导出 HTML", "en": "Export HTML"},
    "audit.open": {"zh": "打开回放", "en": "Open replay"},
    "audit.case_id": {"zh": "案件编号", "en": "Case id"},
    "error.forbidden": {"zh": "您无权查看或办理此内容。", "en": "You may not see or do this."},
    "error.not_found": {"zh": "找不到该内容。", "en": "Not found."},
    "error.unavailable": {"zh": "系统暂时不可用，请稍后再试；未作任何记录。",
                          "en": "The system is unavailable for a moment; nothing was recorded. "
                                "Try again shortly."},
    "error.title": {"zh": "无法完成", "en": "Could not be done"},
    "rule.illegal_step": {"zh": "此步骤不适用于案件当前状态。",
                          "en": "This step does not apply to the case as it is."},
    "rule.rule_violation": {"zh": "内容不符合行内规定。", "en": "The content breaks a bank rule."},
    "rule.four_eyes": {"zh": "双人原则：延期须由申请人以外的人批准。",
                       "en": "Four eyes: someone other than the requester approves an "
                             "extension."},
    "rule.one_extension": {"zh": "每件投诉最多延期一次。", "en": "A case has at most one "
                                                              "extension."},
    "rule.letter_needs_outlet_head": {"zh": "信函、传真答复须由网点负责人确认发出。",
                                      "en": "A letter or fax reply is sent by the outlet head."},
    "rule.role_required": {"zh": "您的岗位不能办理此步骤。", "en": "Your role may not take "
                                                                 "this step."},
    "rule.forbidden": {"zh": "您无权办理此案件。", "en": "You may not act on this case."},
    "rule.other_outlet": {"zh": "该案件属于其他网点。", "en": "The case belongs to another "
                                                          "outlet."},
    "rule.no_extension_after_reopen": {"zh": "重新处理的案件不能再延期，请升级处理。",
                                       "en": "No extension after a reopening: escalate."},
    "rule.home_visit_two_staff": {"zh": "上门拜访须至少两名员工。",
                                  "en": "A home visit is made by at least two staff."},
    "rule.no_night_calls": {"zh": "夜间不得致电客户（除非客户同意或紧急）。",
                            "en": "No calls to the client at night (unless agreed or urgent)."},
    "rule.case_closed": {"zh": "案件已结案，不能再办理。", "en": "The case is closed."},
    "rule.already_exists": {"zh": "该案件编号已被使用。", "en": "That case id is taken."},
    "rule.unknown_category": {"zh": "业务类别不在本行投诉分类中。",
                              "en": "That business line is not in the bank's taxonomy."},
    "rule.unknown_cause": {"zh": "投诉原因不在本行投诉分类中。",
                           "en": "That cause is not in the bank's taxonomy."},
    "rule.no_survey_due": {"zh": "该客户目前没有到期的满意度回访。",
                           "en": "No satisfaction survey is due for this client."},
    "rule.already_matured": {"zh": "该产品已到期，无需再提醒联系。",
                             "en": "The product has matured already."},
    "rule.do_not_disturb": {"zh": "客户要求勿扰：请改用其他方式。",
                            "en": "The client asked not to be disturbed this way."},
    "rule.account_already_open": {"zh": "该账户已开立。", "en": "That account is already open."},
    "rule.referral_needs_referrer": {"zh": "推介须注明推介人。",
                                     "en": "A referral names who referred the client."},
    "rule.calendar_not_covered": {"zh": "工作日历尚无该年份数据。",
                                  "en": "The working-day calendar has no data for that year."},
    "rule.client_lost": {"zh": "该客户已流失，不能再办理。", "en": "The client was lost."},
    "rule.not_found": {"zh": "找不到该内容。", "en": "Not found."},
    "rule.user": {"zh": "用户信息有误。", "en": "The user cannot be saved so."},
    "rule.still_recording": {"zh": "正在记录中，请稍后刷新查看。",
                             "en": "Still being recorded; reload in a moment."},
    "rule.domain_rule": {"zh": "不符合业务规则。", "en": "A rule does not allow it."},
    "rule.fault_record_incomplete": {
        "zh": "我行有责：请填写过错责任人或部门、致歉情况、对客户的纠正措施及整改完成期限。",
        "en": "The bank is at fault: record who is responsible, the apology, the remedy and "
              "the corrective action's due date."},
    "rule.corrective_action_due_in_past": {"zh": "整改完成期限不能早于今天。",
                                           "en": "The corrective action cannot be due before "
                                                 "today."},
    "rule.media_details_required": {"zh": "媒体关注：请填写媒体名称、记者问题及已告知人员。",
                                    "en": "Media attention: record the media outlet, the "
                                          "questions and who was informed."},
    "rule.unknown_unit": {"zh": "没有该单位：请填写本行组织架构中的单位编号（如 branch-sh-csm）。",
                          "en": "There is no such unit: give a unit of the bank's organisation "
                                "(e.g. branch-sh-csm)."},
    "rule.no_follow_up_due": {"zh": "该案件没有到期的回访。", "en": "No follow-up is due on "
                              "this case."},
    "rule.one_regulatory_extension": {"zh": "监管处理期限只能延长一次。",
                                      "en": "The regulatory period is extended once."},
    "rule.meeting_needs_date": {"zh": "约定会面须填写将来的会面时间和地点。",
                                "en": "An agreed meeting has a future date and a place."},
    "rule.not_escalated": {"zh": "该案件未升级至任何单位。",
                           "en": "The case is not escalated to a unit."},
}

STATUS = {"new": ("新建", "new"), "registered": ("已登记", "registered"),
          "assigned": ("已分派", "assigned"), "investigated": ("已调查", "investigated"),
          "replied": ("已答复", "replied"), "closed": ("已结案", "closed")}
STEP = {
    "resolve_on_spot": ("当场解决", "Resolve on the spot"),
    "assign": ("分派经办人", "Assign a handler"),
    "record_findings": ("记录调查结果", "Record findings"),
    "request_extension": ("申请延期", "Request an extension"),
    "decide_extension": ("审批延期", "Decide on the extension"),
    "escalate": ("升级处理", "Escalate"),
    "reply": ("答复客户", "Reply to the client"),
    "record_feedback": ("记录客户反馈", "Record the client's feedback"),
    "withdraw": ("撤诉", "Withdraw"),
    "add_note": ("添加备注", "Add a note"),
    "accept_escalation": ("受理升级案件", "Accept the escalation"),
    "answer_escalation": ("答复或指示", "Answer or instruct"),
    "extend_regulatory_deadline": ("批准延长监管处理期限", "Extend the regulatory period"),
    "record_follow_up": ("记录回访结果", "Record the follow-up"),
    "complete_corrective_action": ("整改完成", "Corrective action done"),
    "contact_attempt": ("记录联系尝试", "Record a contact attempt"),
    "meeting": ("记录会面", "Record a meeting"), "sale": ("记录销售", "Record a sale"),
    "reassign_manager": ("更换客户经理", "Reassign the manager"),
    "open_account": ("开户", "Open an account"), "request_closure": ("申请销户", "Closure request"),
    "retention": ("挽留", "Retention attempt"), "log_contact": ("记录联系", "Log a contact"),
    "set_preference": ("设置联系偏好", "Set the contact preference"),
    "reassess": ("重新评级", "Reassess"),
    "win_back": ("重新跟进流失客户", "Win the client back"),
    "survey": ("记录满意度回访", "Record the satisfaction survey"),
}
FIELD = {
    "case_id": ("案件编号", "Case id"), "client_id": ("客户号", "Client id"),
    "client_tier": ("客户等级", "Client tier"), "channel": ("受理渠道", "Channel"),
    "category": ("业务类别", "Business line"), "cause": ("投诉原因", "Cause"),
    "client_request": ("客户诉求", "What the client asks for"),
    "description": ("投诉内容", "Description"),
    "outlet": ("网点", "Outlet"), "relationship_manager": ("客户经理", "Relationship manager"),
    "mobile": ("客户手机", "Client's mobile"), "email": ("客户邮箱", "Client's e-mail"),
    "resolution": ("解决方式", "Resolution"), "handler": ("经办人", "Handler"),
    "summary": ("调查结论", "Findings"), "bank_at_fault": ("我行是否有责", "Bank at fault"),
    "corrective_action": ("整改措施", "Corrective action"),
    "corrective_action_owner": ("整改责任人", "Owner of the corrective action"),
    "corrective_action_due": ("整改完成期限", "Corrective action due by"),
    "responsible": ("过错责任人或部门", "Responsible person or department"),
    "apology": ("致歉情况", "Apology made"),
    "remedy": ("纠正措施（对客户）", "Remedy for the client"),
    "media": ("媒体信息", "Media details"), "media_outlet": ("媒体名称", "Media outlet"),
    "questions": ("记者问题", "The journalist's questions"),
    "informed": ("已告知人员", "Informed"), "answer": ("答复或指示", "Answer or instruction"),
    "number": ("整改序号", "Corrective action no."),
    "reason": ("原因", "Reason"), "approve": ("是否批准", "Approve"), "note": ("意见", "Note"),
    "to": ("升级至", "Escalate to"), "details": ("详情", "Details"),
    "method": ("答复方式", "Method"), "content": ("答复内容", "Content"),
    "client_consented_to_call": ("客户同意来电", "Client agreed to a call"),
    "urgent": ("紧急", "Urgent"), "visiting_staff": ("上门员工", "Visiting staff"),
    "satisfied": ("客户是否满意", "Client satisfied"), "opinion": ("客户意见", "Client's opinion"),
    "follow_up": ("后续处理", "Follow-up"), "escalate_to": ("升级至", "Escalate to"),
    "text": ("备注", "Note"),
    "outcome": ("结果", "Outcome"), "next_step": ("下一步", "Next step"),
    "needs": ("客户需求", "Needs"), "proposals": ("推荐方案", "Proposals"),
    "deal": ("是否成交", "Deal"), "no_deal_reason": ("未成交原因", "Why no deal"),
    "next_contact_at": ("下次联系时间", "Next contact"), "product": ("产品", "Product"),
    "manager": ("客户经理", "Manager"), "meeting_at": ("约见时间", "Meeting at"),
    "meeting_place": ("约见地点", "Meeting place"), "account": ("账户", "Account"),
    "retained": ("是否挽留成功", "Retained"), "preference": ("联系偏好", "Preference"),
    "deposits_10k": ("存款（万元）", "Deposits (10k CNY)"),
    "loans_10k": ("贷款（万元）", "Loans (10k CNY)"),
    "intermediary_products": ("中间业务产品数", "Intermediary products"),
    "family": ("家庭状况（0–5）", "Family (0–5)"),
    "occupation": ("职业（0–5）", "Occupation (0–5)"),
    "social_standing": ("社会地位（0–5）", "Social standing (0–5)"),
    "main_bank_elsewhere": ("主要在他行办理业务", "Main bank elsewhere"),
    "score": ("满意度评分（1–5）", "Score (1–5)"), "remarks": ("客户意见", "Remarks"),
}
VALUE = {
    "in_person": ("当面", "in person"), "comment_book": ("意见簿", "comment book"),
    "letter": ("信函", "letter"), "phone": ("电话", "phone"), "e_banking": ("网银", "e-banking"),
    "other_electronic": ("其他电子渠道", "other electronic"), "fax": ("传真", "fax"),
    "home_visit": ("上门拜访", "home visit"), "beyond_authority": ("超出权限", "beyond authority"),
    "media_attention": ("媒体关注", "media attention"),
    "client_dissatisfied": ("客户不满意", "client dissatisfied"),
    "reopen": ("重新处理", "reopen"), "escalate": ("升级", "escalate"),
    "core_premium": ("核心优质客户", "core premium"),
    "ordinary_premium": ("一般优质客户", "ordinary premium"),
    "potential": ("潜力客户", "potential"),
    "premium_to_be_won": ("待提升优质客户", "premium to be won"),
    "ordinary": ("普通客户", "ordinary"),
    "none": ("无", "none"), "requested": ("已申请", "requested"),
    "approved": ("已批准", "approved"),
    "rejected": ("已驳回", "rejected"), "sms": ("短信", "SMS"), "email": ("电子邮件", "e-mail"),
    "meeting": ("会面", "meeting"), "no_answer": ("未接通", "no answer"),
    "not_interested": ("无意向", "not interested"),
    "meeting_agreed": ("约定会面", "meeting agreed"),
    "do_not_disturb": ("请勿打扰", "do not disturb"), "moderate": ("适度", "moderate"),
    "frequent": ("经常", "frequent"),
    "birthday": ("生日", "birthday"), "spring_festival": ("春节", "Spring Festival"),
    "mid_autumn": ("中秋节", "Mid-Autumn Festival"),
    "resolved_on_spot": ("当场解决", "resolved on the spot"),
    "deposits": ("存款", "deposits"), "loans": ("贷款", "loans"),
    "bank_cards": ("银行卡", "bank cards"), "payments": ("支付结算", "payments"),
    "wealth": ("理财及代销", "wealth management"),
    "personal_information": ("个人信息", "personal information"), "other": ("其他", "other"),
    "service": ("服务态度及质量", "service"), "fees": ("收费", "fees"),
    "product_terms": ("产品条款", "product terms"),
    "sales_practice": ("销售行为", "sales practice"),
    "system_failure": ("系统故障", "system failure"),
    "client_satisfied": ("客户满意", "client satisfied"), "withdrawn": ("撤诉", "withdrawn"),
    "no_response": ("客户未反馈", "no response from the client"),
    "not_satisfied": ("不满意", "not satisfied"), "unreachable": ("无法联系", "unreachable"),
    "stage.new": ("新客户", "new"), "stage.contact": ("接触营销", "contact"),
    "stage.serve": ("业务处理", "serve"), "stage.maintain": ("关系维护", "maintain"),
    "stage.normal_channels": ("常规渠道", "normal channels"), "stage.lost": ("已流失", "lost"),
}
EVENT = {
    "complaint_registered": ("登记投诉", "complaint registered"),
    "deadline_set": ("确定答复期限", "deadline set"),
    "client_acknowledged": ("告知客户答复时限", "client told when to expect a reply"),
    "client_notice_recorded": ("客户通知结果", "what became of a message to the client"),
    "resolved_on_spot": ("当场解决", "resolved on the spot"),
    "handler_assigned": ("分派经办人", "handler assigned"),
    "findings_recorded": ("记录调查结果", "findings recorded"),
    "extension_requested": ("申请延期", "extension requested"),
    "extension_approved": ("批准延期", "extension approved"),
    "extension_rejected": ("驳回延期", "extension rejected"),
    "extension_request_lapsed": ("延期申请失效", "extension request lapsed"),
    "case_escalated": ("升级处理", "escalated"),
    "client_replied": ("答复客户", "client replied to"),
    "feedback_recorded": ("记录客户反馈", "feedback recorded"),
    "case_reopened": ("重新处理", "reopened"),
    "complaint_withdrawn": ("客户撤诉", "withdrawn"),
    "case_closed": ("结案", "closed"),
    "note_added": ("添加备注", "note added"),
    "deadline_warning_raised": ("到期预警", "deadline warning"),
    "feedback_reminder_raised": ("提醒记录客户反馈", "feedback reminder"),
    "deadline_breached": ("超过答复期限", "deadline breached"),
    "overdue_escalated": ("超时升级", "overdue escalation"),
    "deadline_recomputed": ("按新日历重算期限", "deadline recomputed for a calendar change"),
    "corrective_action_opened": ("制定整改措施", "corrective action set"),
    "corrective_action_overdue": ("整改逾期", "corrective action overdue"),
    "corrective_action_completed": ("整改完成", "corrective action done"),
    "escalation_accepted": ("受理升级案件", "escalation accepted"),
    "escalation_answered": ("上级答复或指示", "escalation answered"),
    "regulatory_deadline_set": ("确定监管处理期限", "regulatory period set"),
    "regulatory_warning_raised": ("监管期限预警", "regulatory period warning"),
    "regulatory_deadline_breached": ("超过监管处理期限", "regulatory period run out"),
    "satisfaction_follow_up_due": ("回访到期", "satisfaction follow-up due"),
    "follow_up_recorded": ("记录回访结果", "follow-up recorded"),
    "client_identified": ("识别客户", "client identified"),
    "follow_up_planned": ("制定跟进计划", "follow-up planned"),
    "contact_attempted": ("联系尝试", "contact attempted"),
    "follow_up_abandoned": ("放弃跟进", "follow-up abandoned"),
    "meeting_held": ("会面", "meeting held"), "sale_recorded": ("销售", "sale recorded"),
    "manager_assigned": ("指定客户经理", "manager assigned"),
    "stage_changed": ("阶段变更", "stage changed"),
    "closure_requested": ("申请销户", "closure requested"),
    "retention_attempted": ("挽留", "retention attempted"),
    "account_opened": ("开户", "account opened"), "account_closed": ("销户", "account closed"),
    "client_lost": ("客户流失", "client lost"), "contact_logged": ("联系记录", "contact logged"),
    "preference_set": ("设置联系偏好", "preference set"),
    "tier_reassessed": ("重新评级", "tier reassessed"),
    "complaint_linked": ("关联投诉", "complaint linked"),
    "contact_due": ("到期联系提醒", "contact due"),
    "contact_overdue": ("联系逾期", "contact overdue"),
    "review_due": ("定期回顾提醒", "review due"),
    "reassessment_due": ("重新评级提醒", "reassessment due"), "care_due": ("关怀提醒", "care due"),
    "meeting_reminder": ("约见提醒", "meeting reminder"),
    "meeting_missed": ("约见未记录", "meeting not recorded"),
    "win_back_started": ("重新跟进流失客户", "win-back started"),
    "account_event_recorded": ("账户动态", "account event"),
    "maturity_contact_due": ("产品到期联系提醒", "maturity contact due"),
    "maturity_missed": ("产品到期前未联系", "maturity not contacted"),
    "survey_due": ("满意度回访到期", "satisfaction survey due"),
    "survey_recorded": ("满意度回访", "satisfaction survey recorded"),
}
ROLE = {"case_officer": ("经办员", "case officer"), "supervisor": ("主管", "supervisor"),
        "outlet_head": ("网点负责人", "outlet head"), "auditor": ("审计", "auditor"),
        "admin": ("系统管理员", "administrator")}
WEEKDAYS = {"zh": "一二三四五六日", "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}


class Texts:
    """The texts of one page, in one language."""

    def __init__(self, language: Language, zone: ZoneInfo) -> None:
        self.language = language if language in LANGUAGES else "zh"
        self.zone = zone

    def __call__(self, key: str, **values: object) -> str:
        entry = CATALOGUE.get(key)
        if entry is None and key.startswith("rule."):
            entry = CATALOGUE["rule.domain_rule"]  # a rule without words of its own yet
        if entry is None:
            return key
        text = entry.get(self.language) or next(iter(entry.values()))
        return text.format(**values) if values else text

    def _word(self, table: dict[str, tuple[str, str]], key: str) -> str:
        """`key` in the page's language from a (Chinese, English) table, else itself."""
        if key not in table:
            return key
        chinese, english = table[key]
        return chinese if self.language == "zh" else english

    def status(self, value: str) -> str:
        return self._word(STATUS, value)

    def step(self, kind: str) -> str:
        return self._word(STEP, kind)

    def field(self, name: str) -> str:
        name = name.rsplit(".", 1)[-1]  # a nested model's field: its own name
        return self._word(FIELD, name)

    def value(self, value: str) -> str:
        return self._word(VALUE, value)

    def role(self, role: str) -> str:
        return self._word(ROLE, role)

    def event(self, kind: str) -> str:
        return self._word(EVENT, kind)

    def due(self, moment: datetime | None) -> str:
        """A deadline: one at midnight is the end of the day before (写作"24:00")."""
        if moment is None:
            return "—"
        local = moment.astimezone(self.zone)
        if (local.hour, local.minute) != (0, 0):
            return self.when(moment)
        shown = self.when(local - timedelta(minutes=1))
        return shown[:-5] + "24:00"

    def rule(self, rule: str) -> str:
        return self(f"rule.{rule}") if f"rule.{rule}" in CATALOGUE else self("rule.domain_rule")

    def when(self, moment: datetime | None) -> str:
        """A moment as people at the bank read it, in the bank's time zone."""
        if moment is None:
            return "—"
        local = moment.astimezone(self.zone)
        if self.language == "zh":
            weekday = WEEKDAYS["zh"][local.weekday()]
            return f"{local.year}年{local.month}月{local.day}日 周{weekday} {local:%H:%M}"
        return f"{WEEKDAYS['en'][local.weekday()]} {local.day} {local:%b %Y, %H:%M}"
