"""Screening-sheet imports (摸排表导入), the sheet's columns, template and error report
(excel.py), and the checks and writer behind them."""
