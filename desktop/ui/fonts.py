"""The interface's font stack: Chinese UI fonts of Windows, macOS and Linux, the first installed one wins
(the application font, desktop/app.py; the calendar's printout, desktop/ui/calendar_page.py)."""

UI_FONTS = ["Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC",
            "WenQuanYi Micro Hei", "SimSun"]
