/* SPDX-License-Identifier: MIT */
/* The program whose launch bench/launch.sh measures: nothing but exit 0. */
int main(void)
{
	return 0;
}
