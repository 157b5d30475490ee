//! Exports of the one-stop register and indicator tables as CSV and XLSX.
