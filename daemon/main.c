/* Placeholder until the daemon entry point lands. */
int main(void);
int main(void)
{
	return 70;
}
