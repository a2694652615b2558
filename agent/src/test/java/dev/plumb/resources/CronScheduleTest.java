package dev.plumb.resources;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CronScheduleTest {

    private static final String MACROS = "@reboot, @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly";

    @ParameterizedTest
    @ValueSource(strings = {
        "* * * * *",
        "0 3 * * *",
        "59 23 31 12 7",
        "0 0 1 1 0",
        "*/15 * * * *",
        "0-30/5 9-17 * * mon-fri",
        "0,15,30,45 * * * *",
        "5 4 * jan-mar,jul,OCT-Dec *",
        "0 12 * * Sun,sat",
        "0 0 1-31/2 * 1-7",
        "00 03 01 01 *",
        "0 0 * * 5-7",
        "  0\t3  * *  *  ",
        "@reboot", "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly",
    })
    void acceptsWhatCronReads(String schedule) {
        assertThat(CronSchedule.problems(schedule)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        61 * * * *          | '61 * * * *': minute 61 is out of range 0-59
        * 24 * * *          | '* 24 * * *': hour 24 is out of range 0-23
        * * 0 * *           | '* * 0 * *': day-of-month 0 is out of range 1-31
        * * 32 * *          | '* * 32 * *': day-of-month 32 is out of range 1-31
        * * * 13 *          | '* * * 13 *': month 13 is out of range 1-12
        * * * 0 *           | '* * * 0 *': month 0 is out of range 1-12
        * * * * 8           | '* * * * 8': day-of-week 8 is out of range 0-7
        50-70 * * * *       | '50-70 * * * *': minute 70 (in 50-70) is out of range 0-59
        99999999999 * * * * | '99999999999 * * * *': minute 99999999999 is out of range 0-59
        * * * jna *         | '* * * jna *': month 'jna' is not a number 1-12 or a name jan-dec; did you mean 'jan'?
        * * * * mon-fry     | '* * * * mon-fry': day-of-week 'fry' is not a number 0-7 or a name sun-sat; did you mean 'fri'?
        * * * * monday      | '* * * * monday': day-of-week 'monday' is not a number 0-7 or a name sun-sat
        x * * * *           | 'x * * * *': minute 'x' is not a number 0-59
        * jan * * *         | '* jan * * *': hour 'jan' is not a number 0-23
        1-2-3 * * * *       | '1-2-3 * * * *': minute '1-2-3' is not *, N, N-M, */S or N-M/S with N and M each a number 0-59
        *-5 * * * *         | '*-5 * * * *': minute '*-5' is not *, N, N-M, */S or N-M/S with N and M each a number 0-59
        * 1- * * *          | '* 1- * * *': hour '1-' is not *, N, N-M, */S or N-M/S with N and M each a number 0-23
        * * * * ?           | '* * * * ?': day-of-week '?' is not *, N, N-M, */S or N-M/S with N and M each a number 0-7 or a name sun-sat
        */0 * * * *         | '*/0 * * * *': minute step in '*/0' must be a whole number of at least 1
        0-30/x * * * *      | '0-30/x * * * *': minute step in '0-30/x' must be a whole number of at least 1
        */ * * * *          | '*/ * * * *': minute step in '*/' must be a whole number of at least 1
        5/10 * * * *        | '5/10 * * * *': minute '5/10' has a step but no range; write */10 or 5-59/10
        * 22-2 * * *        | '* 22-2 * * *': hour range 22-2 is descending; write it from low to high, or wrapping around as 22-23,0-2
        * * * * fri-mon     | '* * * * fri-mon': day-of-week range fri-mon is descending; write it from low to high, or wrapping around as 5-6,0-1
        * * * nov-feb *     | '* * * nov-feb *': month range nov-feb is descending; write it from low to high, or wrapping around as 11-12,1-2
        1,,2 * * * *        | '1,,2 * * * *': minute '1,,2' has an empty item; separate values with single commas
        * * 1, * *          | '* * 1, * *': day-of-month '1,' has an empty item; separate values with single commas
        """)
    void namesTheFieldTheValueAndWhatIsAllowed(String schedule, String message) {
        assertThat(CronSchedule.problems(schedule)).containsExactly(message);
    }

    @Test
    void reportsEveryBrokenFieldOnce() {
        assertThat(CronSchedule.problems("60 24 0 13 8")).containsExactly(
                "'60 24 0 13 8': minute 60 is out of range 0-59",
                "'60 24 0 13 8': hour 24 is out of range 0-23",
                "'60 24 0 13 8': day-of-month 0 is out of range 1-31",
                "'60 24 0 13 8': month 13 is out of range 1-12",
                "'60 24 0 13 8': day-of-week 8 is out of range 0-7");
        assertThat(CronSchedule.problems("61,62 * * * *")).containsExactly("'61,62 * * * *': minute 61 is out of range 0-59");
    }

    @Test
    void countsTheFieldsWhenThereAreNotFive() {
        assertThat(CronSchedule.problems("* * *")).containsExactly("'* * *': expected five fields (minute hour "
                + "day-of-month month day-of-week) or one of " + MACROS + "; got 3 fields");
        assertThat(CronSchedule.problems("daily")).containsExactly("'daily': expected five fields (minute hour "
                + "day-of-month month day-of-week) or one of " + MACROS + "; got 1 field");
        assertThat(CronSchedule.problems(" ")).containsExactly("' ': expected five fields (minute hour "
                + "day-of-month month day-of-week) or one of " + MACROS + "; got 0 fields");
    }

    @Test
    void sixFieldsHintAtSecondsOrAUserInTheSchedule() {
        assertThat(CronSchedule.problems("0 3 * * * root")).containsExactly("'0 3 * * * root': expected five fields "
                + "(minute hour day-of-month month day-of-week) or one of " + MACROS + "; got 6 fields (cron has no "
                + "seconds field, and the user and the command are attributes of their own)");
    }

    @Test
    void aMisspeltMacroGetsTheClosestOne() {
        assertThat(CronSchedule.problems("@dialy")).containsExactly(
                "'@dialy' is not one of " + MACROS + ", or five fields; did you mean '@daily'?");
        assertThat(CronSchedule.problems("@Hourly")).containsExactly(
                "'@Hourly' is not one of " + MACROS + ", or five fields; did you mean '@hourly'?");
        assertThat(CronSchedule.problems("@sometimes")).containsExactly(
                "'@sometimes' is not one of " + MACROS + ", or five fields");
    }

    @Test
    void aMacroStandsAlone() {
        assertThat(CronSchedule.problems("@daily root")).containsExactly(
                "'@daily root': @daily stands alone; the user and the command are attributes of their own");
    }

    @Test
    void theLineGetsTheFieldsSeparatedBySingleSpaces() {
        assertThat(CronSchedule.normalized("  0\t3  * *  * ")).isEqualTo("0 3 * * *");
        assertThat(CronSchedule.normalized("@daily")).isEqualTo("@daily");
    }
}
